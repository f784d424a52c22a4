import { mkdtempSync, rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import path from 'node:path';

/** The folders tempFolder has made in this process and not yet removed. */
const made: string[] = [];

/**
 * A fresh folder lp-`name`-XXXXXX under the system's temp folder, removed with all it holds
 * when this process exits. node:test runs each test file in a process of its own, so the folder
 * lasts the whole file: a test may stop its server and start another on the same folder.
 */
export function tempFolder(name: string): string {
  const folder = mkdtempSync(path.join(tmpdir(), `lp-${name}-`));
  made.push(folder);
  return folder;
}

function removeTempFolders(): void {
  for (const folder of made.splice(0)) rmSync(folder, { recursive: true, force: true });
}

process.once('exit', removeTempFolders);
// A signal would end the process without running its 'exit' listeners (this one, and
// startServer's that kills servers still running), and Ctrl-C on `node --test` reaches every test
// file's process, as the runner's SIGTERM does. Exiting instead runs them; the code is the shell's
// for that signal.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => process.exit(128 + constants.signals[signal]));
}
