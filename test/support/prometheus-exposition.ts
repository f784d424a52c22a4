/** One sample line of the Prometheus text format: `name{label="value",…} value`. */
export interface ExpositionSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  samples: ExpositionSample[];
  /** Metric family name -> its `# TYPE`. */
  types: Map<string, string>;
  /** Families with a `# HELP` line. */
  helped: Set<string>;
}

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/**
 * Parses the text exposition strictly: every line is a comment or a sample
 * (throws on anything else, so a malformed scrape fails the test).
 */
export function parseExposition(text: string): Exposition {
  const exposition: Exposition = { samples: [], types: new Map(), helped: new Set() };
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('# HELP ')) {
      exposition.helped.add(line.split(' ')[2]);
      continue;
    }
    if (line.startsWith('# TYPE ')) {
      const [, , name, type] = line.split(' ');
      exposition.types.set(name, type);
      continue;
    }
    const match = SAMPLE_LINE.exec(line);
    if (match === null) throw new Error(`not an exposition line: ${JSON.stringify(line)}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(LABEL)) labels[key] = value;
    const value = match[3] === '+Inf' ? Infinity : Number(match[3]);
    if (Number.isNaN(value) && match[3] !== 'NaN') throw new Error(`not a sample value: ${JSON.stringify(line)}`);
    exposition.samples.push({ name: match[1], labels, value });
  }
  return exposition;
}

/** The family a sample belongs to: a histogram's `_bucket`, `_sum` and `_count` belong to its name. */
export function familyOf(exposition: Exposition, sampleName: string): string | undefined {
  if (exposition.types.has(sampleName)) return sampleName;
  const base = sampleName.replace(/_(bucket|sum|count)$/, '');
  return exposition.types.get(base) === 'histogram' || exposition.types.get(base) === 'summary' ? base : undefined;
}

/** The value of the one sample named `name` whose labels include `labels`. */
export function sampleValue(exposition: Exposition, name: string, labels: Record<string, string> = {}): number | undefined {
  const found = exposition.samples.filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value));
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value;
}
