import { HttpError } from '../http-error.js';
import { parseSelector, SelectorError } from '../series/selector.js';
import { formatSeriesName, SERIES_TYPE_LABEL, type SeriesName } from '../series/series-name.js';
import type { UnixSeconds } from '../store/stack-store.js';
import { foldedStacksSteps } from './formats/folded.js';
import type { ParseSteps } from './formats/parse-steps.js';
import { multipartBoundary, multipartField } from './formats/multipart.js';
import { BodyFormatError, type BodyLimits, type ParsedSamples } from './formats/parsed-samples.js';
import { pprofByTypeSteps } from './formats/pprof.js';
import { utf8Pieces, utf8TextBytes } from './formats/utf8-text.js';
import { checkPushTime } from './push-time.js';

/**
 * Grafana Pyroscope's HTTP ingest API (`POST /ingest?name=APP{labels}&…`), as
 * its agents speak it. The samples are stamped at `until`: the end of the
 * window they were taken in, as a pull is stamped when its sampler is read.
 */
export interface PyroscopePush {
  /** The pushed `name`, without the profile type (added once the body says it). */
  series: SeriesName;
  until: UnixSeconds;
  format: 'folded' | 'pprof';
}

/** Longest canonical series name accepted from a push, in UTF-8 bytes: store keys are bounded. */
export const MAX_SERIES_NAME_BYTES = 512;

const FORMATS: Record<string, PyroscopePush['format']> = { folded: 'folded', lines: 'folded', pprof: 'pprof' };
const FORBIDDEN_IN_VALUE = /[,{}"\\\p{Cc}]/u;
const UNIX_SECONDS = /^\d{1,12}(\.\d+)?$/;

/**
 * Reads the query of a Pyroscope push; a bad parameter is a 400 naming it.
 * `sampleRate` and `spyName` are checked but change nothing: counts are
 * samples whatever the rate (a pprof body says its own period), and frames
 * read the same whatever the spy. `units` must be samples and
 * `aggregationType` sum (Pyroscope's defaults): memory gauges are not samples.
 */
export function readPyroscopePush(query: Record<string, unknown>, now: UnixSeconds, retentionSeconds: number): PyroscopePush {
  const series = pushedName(oneValue(query, 'name'));
  const format = FORMATS[oneValue(query, 'format') ?? 'folded'];
  if (format === undefined) throw new HttpError(400, `format: ${JSON.stringify(query.format)} is not read here; use folded, lines or pprof`);
  const until = optionalSeconds(query, 'until') ?? now;
  const from = optionalSeconds(query, 'from') ?? until;
  if (from > until) throw new HttpError(400, `from: ${from} is after until (${until})`);
  checkPushTime('until', Math.floor(until), now, retentionSeconds);
  const sampleRate = oneValue(query, 'sampleRate');
  if (sampleRate !== undefined && !/^[1-9]\d{0,6}$/.test(sampleRate)) throw new HttpError(400, `sampleRate: ${JSON.stringify(sampleRate)} is not a rate in Hz`);
  const spyName = oneValue(query, 'spyName');
  if (spyName !== undefined && !/^[\w.-]{1,64}$/.test(spyName)) throw new HttpError(400, `spyName: ${JSON.stringify(spyName)} is not a spy's name`);
  const units = oneValue(query, 'units');
  if (units !== undefined && units !== 'samples') throw new HttpError(400, `units: only samples are stored, not ${JSON.stringify(units)}`);
  const aggregation = oneValue(query, 'aggregationType');
  if (aggregation !== undefined && aggregation !== 'sum') throw new HttpError(400, `aggregationType: only sum is stored, not ${JSON.stringify(aggregation)}`);
  return { series, until: Math.floor(until), format };
}

/**
 * The push's samples and the series they belong to: its name plus
 * `__type__`, one series per profile type a pprof body holds (the Node
 * agent's wall profile carries CPU time too); folded pushes are CPU samples.
 * A pprof body comes raw or as the `profile` field of a multipart form. A
 * body that cannot be read is a BodyFormatError. Read in pieces (ParseSteps).
 */
export function* readPyroscopeBody(push: PyroscopePush, body: Buffer, contentType: string | undefined, limits: BodyLimits): ParseSteps<SeriesSamples[]> {
  const boundary = multipartBoundary(contentType);
  const payload = boundary === null ? body : multipartField(body, boundary, 'profile');
  if (payload === null) throw new BodyFormatError('multipart body has no "profile" field');
  const byType = push.format === 'pprof' ? yield* pprofByTypeSteps(payload, limits) : [yield* foldedStacksSteps(utf8Pieces(utf8TextBytes(payload)), limits)];
  if (byType === null) throw new BodyFormatError('body is not a pprof profile (format=pprof)');
  return byType.map((parsed) => {
    const labels = new Map(push.series.labels).set(SERIES_TYPE_LABEL, parsed.profileType ?? 'cpu');
    return { series: formatSeriesName({ app: push.series.app, labels }), parsed };
  });
}

export interface SeriesSamples {
  series: string;
  parsed: ParsedSamples;
}

/** Pyroscope's `APP{label=value,…}` (values bare or quoted) as a series. */
function pushedName(text: string | undefined): SeriesName {
  const fail = (why: string) => new HttpError(400, `name: ${JSON.stringify(text)} ${why}`);
  if (text === undefined || text.trim() === '') throw new HttpError(400, 'name: required, APP{label=value,…}');
  let selector;
  try {
    selector = parseSelector(text);
  } catch (error) {
    if (error instanceof SelectorError) throw fail(`cannot be read: ${error.message}`);
    throw error;
  }
  if (selector.app === null || /[{}=]/.test(selector.app)) throw fail('names no application (APP{label=value,…})');
  const labels = new Map<string, string>();
  for (const { name, op, value } of selector.matchers) {
    if (op !== '=') throw fail(`sets label ${name} with "${op}" instead of "="`);
    if (name === SERIES_TYPE_LABEL) throw fail(`sets label ${name}, which the server sets from the profile`);
    if (labels.has(name)) throw fail(`sets label ${name} twice`);
    if (FORBIDDEN_IN_VALUE.test(value)) throw fail(`has a value of ${name} holding , { } " \\ or a control character`);
    labels.set(name, value);
  }
  const series = { app: selector.app, labels };
  // Room for the __type__ label added later.
  if (Buffer.byteLength(formatSeriesName(series)) + `,${SERIES_TYPE_LABEL}=wall`.length > MAX_SERIES_NAME_BYTES) {
    throw fail(`is longer than ${MAX_SERIES_NAME_BYTES} bytes`);
  }
  return series;
}

function oneValue(query: Record<string, unknown>, key: string): string | undefined {
  const value = query[key];
  if (value === undefined || typeof value === 'string') return value;
  throw new HttpError(400, `${key}: given more than once`);
}

function optionalSeconds(query: Record<string, unknown>, key: string): number | undefined {
  const value = oneValue(query, key);
  if (value === undefined) return undefined;
  if (!UNIX_SECONDS.test(value)) throw new HttpError(400, `${key}: cannot read ${JSON.stringify(value)}: expected Unix seconds`);
  return Number(value);
}
