/** One host the collector pulls from. */
export interface HostEntry {
  /** The label, or the entry as written: names the host in the store, URLs and page. */
  name: string;
  /** What is fetched: `http://HOST:PORT/liveprofiler` for a HOST:PORT entry, a full URL as written. */
  url: string;
}

/** The validated configuration; built once at start-up by loadConfig. */
export interface Config {
  /** Absolute path of the config file, for messages. */
  file: string;
  global: {
    /** Absolute path of the LMDB folder. */
    dbpath: string;
    retentionSeconds: number;
  };
  server: {
    host: string;
    port: number;
  };
  collector: {
    secret: string;
    hosts: HostEntry[];
    /** The node-cron expression in force: `schedule` as written, or one derived from `interval`. */
    schedule: string;
    timeoutSeconds: number;
    maxBodyBytes: number;
    /** Hosts pulled at once. */
    maxConcurrent: number;
    /** Bytes of bodies held at once across hosts; at least maxBodyBytes. */
    maxBufferedBytes: number;
  };
  sampler: {
    enabled: boolean;
    intervalSeconds: number;
    secret: string;
  };
}
