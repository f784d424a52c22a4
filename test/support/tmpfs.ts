import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface SmallFileSystem {
  path: string;
  unmount(): void;
}

/**
 * A real file system of `megabytes` MB that a test can fill: a tmpfs mounted
 * on a fresh temp folder. Mounting needs root (CI runs the tests as root);
 * elsewhere this answers the reason mount gave, for the test to skip with.
 */
export function mountSmallFileSystem(megabytes: number): SmallFileSystem | string {
  const folder = mkdtempSync(path.join(tmpdir(), 'lp-small-fs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', folder], { stdio: 'pipe' });
  } catch (error) {
    rmSync(folder, { recursive: true, force: true });
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    return `needs root to mount a tmpfs (CI runs as root): mount refused: ${stderr || (error as Error).message}`;
  }
  return {
    path: folder,
    unmount() {
      execFileSync('umount', ['-l', folder], { stdio: 'pipe' });
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
