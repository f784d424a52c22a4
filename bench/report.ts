import os from 'node:os';

/** One figure of the benchmark's table, with its target when the issue sets one. */
interface Row {
  figure: string;
  measured: string;
  target: string;
  ok: boolean | null;
}

const rows: Row[] = [];

/** Adds a figure to the table printed at the end, and shows it at once on stderr. */
export function report(figure: string, value: number, unit: string, target: number | null, better: 'lower' | 'higher' = 'lower'): void {
  const ok = target === null ? null : better === 'lower' ? value <= target : value >= target;
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  const show = (n: number) => `${n.toLocaleString('en-US', { maximumFractionDigits: digits })} ${unit}`;
  rows.push({ figure, measured: show(value), target: target === null ? '' : `${better === 'lower' ? '≤' : '≥'} ${show(target)}`, ok });
  console.error(`  ${figure}: ${show(value)}`);
}

/** The machine is shared: every figure is read next to the load it was measured under. */
export function loadAverage(): string {
  return `load average ${os.loadavg().map((load) => load.toFixed(2)).join(' ')} on ${os.availableParallelism()} cores`;
}

export function printTable(runs: number): void {
  const header = ['figure', 'measured (median)', 'target', ''];
  const lines = rows.map((row) => [row.figure, row.measured, row.target, row.ok === null ? '' : row.ok ? 'ok' : 'MISSED']);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column].length)));
  const format = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  console.log(`\nliveprofiler benchmark — ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${runs} runs per figure, ${loadAverage()} at the end\n`);
  console.log(format(header));
  console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  for (const line of lines) console.log(format(line));
}
