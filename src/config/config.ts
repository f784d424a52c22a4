import type { AccessCredentials } from '../http/access-control.js';
import type { HttpServerLimits } from '../http/http-server.js';

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
  server: HttpServerLimits & {
    host: string;
    port: number;
    /** In-flight requests get this long to finish at SIGTERM/SIGINT before they are dropped. */
    shutdownGraceSeconds: number;
    /** Credentials the pages and the API require; null: open, as on loopback by default. */
    access: AccessCredentials | null;
    /** Worker threads answering /profile, /functions and /diff. */
    queryWorkers: number;
    /** Queries waiting for a worker before more are refused (503). */
    queryQueue: number;
    /** Longest a query may take, waiting included (503 after it). */
    queryTimeoutSeconds: number;
    /** Heap limit of each query worker in MB; null: V8's default. */
    queryMemoryMb: number | null;
  };
  store: {
    /** Characters of stack strings the string <-> id cache holds (written as a size: `64MB` is 64 Mi characters). */
    stackCacheChars: number;
    /** Bytes of finished /profile and /functions answers kept for the same question asked again; 0: none. */
    answerCacheBytes: number;
  };
  collector: {
    /** False: a read-only visualizer over a store another process collects into. */
    enabled: boolean;
    secret: string;
    hosts: HostEntry[];
    /** The node-cron expression in force: `schedule` as written, or one derived from `interval`. */
    schedule: string;
    timeoutSeconds: number;
    maxBodyBytes: number;
    /** Distinct stacks one body may hold; a body with more is refused whole. */
    maxStacks: number;
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
