import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Bytes a folder really occupies on disk (allocated blocks, not apparent sizes of sparse files). */
export function diskBytes(folder: string): number {
  let bytes = 0;
  for (const name of readdirSync(folder)) {
    const stats = statSync(path.join(folder, name));
    bytes += stats.isDirectory() ? diskBytes(path.join(folder, name)) : stats.blocks * 512;
  }
  return bytes;
}
