import type { StackCounts } from '../profile/stack-counts.js';
import { stackCountsToFolded } from '../profile/stack-counts-to-folded.js';
import { stackCountsToPprof } from '../profile/stack-counts-to-pprof.js';
import { stackCountsToSpeedscope } from '../profile/stack-counts-to-speedscope.js';
import type { ExportFormat } from './analysis-params.js';
import type { TimeRange } from './query-params.js';
import { textAnswer, type ViewAnswer } from './view-answer.js';

const FILE_TYPES: Record<ExportFormat, { extension: string; contentType: string }> = {
  folded: { extension: 'folded', contentType: 'text/plain; charset=utf-8' },
  speedscope: { extension: 'speedscope.json', contentType: 'application/json; charset=utf-8' },
  pprof: { extension: 'pb.gz', contentType: 'application/octet-stream' },
};

/** Longest host part of a file name; labels can be long, file systems are not. */
const MAX_HOST_CHARS = 80;

/** A range end in a file name: compact UTC (20240501T120000Z), or "start" for all data. */
function stamp(seconds: number): string {
  if (seconds === 0) return 'start';
  return new Date(seconds * 1000).toISOString().replace(/[-:]|\.\d+/g, '');
}

/**
 * `HOST_FROM_UNTIL.ext`, the host reduced to characters every file system
 * and the Content-Disposition header take as they are (labels may hold '/',
 * quotes, or anything else).
 */
export function exportFileName(host: string, range: TimeRange, format: ExportFormat): string {
  const safeHost = host.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, MAX_HOST_CHARS) || 'host';
  return `${safeHost}_${stamp(range.from)}_${stamp(range.until)}.${FILE_TYPES[format].extension}`;
}

/**
 * `stacks` as a download in `format`; `title` names the profile inside
 * formats that carry one. `dataFrom` is where the samples begin (for "all
 * data", from 0, the first one kept): pprof's time and duration say it.
 */
export function exportAnswer(format: ExportFormat, stacks: StackCounts, host: string, range: TimeRange, title: string, dataFrom: number): ViewAnswer {
  const { contentType } = FILE_TYPES[format];
  const contentDisposition = `attachment; filename="${exportFileName(host, range, format)}"`;
  if (format === 'folded') return textAnswer(contentType, stackCountsToFolded(stacks), contentDisposition);
  if (format === 'speedscope') return textAnswer(contentType, JSON.stringify(stackCountsToSpeedscope(stacks, title)), contentDisposition);
  const body = stackCountsToPprof(stacks, { from: dataFrom, durationSeconds: range.until - dataFrom + 1 });
  return { contentType, contentDisposition, body };
}
