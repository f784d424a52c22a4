/** The outcome for one host of one collection or push, as /collector/ and /ingest answer it. */
export interface HostReport {
  host: string;
  /** Entries accepted (a stack repeated in one payload counts each time). */
  entries: number;
  /** Distinct stacks stored. */
  stacks: number;
  samples: number;
  /** Entries refused for a bad frame or count. */
  skipped: number;
  /** How many entries were refused for each reason; the counts add up to `skipped`. */
  skipped_reasons: Record<string, number>;
  /** Why nothing was stored, or null. */
  error: string | null;
}

export function failedReport(host: string, error: string): HostReport {
  return { host, entries: 0, stacks: 0, samples: 0, skipped: 0, skipped_reasons: {}, error };
}
