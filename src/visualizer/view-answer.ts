import { gzipSync } from 'node:zlib';
import { GZIP_LEVEL, worthGzipping } from '../http/compression.js';
import type { MetaTail } from './meta-tail.js';

/**
 * A finished answer of a query route: its bytes and the headers that say
 * what they are. Built wherever the view is computed (a worker thread) and
 * sent as it is by the route, so the bytes cross threads once, unconverted.
 */
export interface ViewAnswer {
  /** The full Content-Type, charset included where the body is text. */
  contentType: string;
  /** For downloads: `attachment; filename="…"`. */
  contentDisposition?: string;
  /** Set when `body` is gzipped (see gzipAnswer). */
  contentEncoding?: 'gzip';
  body: Uint8Array;
  /** Set on an answer that can be given again for another range with the same samples (see meta-tail.ts); never sent. */
  metaTail?: MetaTail;
}

const utf8 = new TextEncoder();

/** `text` as UTF-8 in a buffer of its own (TextEncoder never hands out a slice of a shared pool), so it can be transferred. */
export function textAnswer(contentType: string, text: string, contentDisposition?: string): ViewAnswer {
  return { contentType, body: utf8.encode(text), ...(contentDisposition !== undefined ? { contentDisposition } : {}) };
}

export const JSON_TYPE = 'application/json; charset=utf-8';

/** What express's res.json and res.type('json').send(text) sent: UTF-8 JSON, as text or as its bytes already. */
export function jsonAnswer(json: string | Uint8Array): ViewAnswer {
  return typeof json === 'string' ? textAnswer(JSON_TYPE, json) : { contentType: JSON_TYPE, body: json };
}

/**
 * `answer` gzipped where the compression middleware would gzip it, so a
 * worker thread does the deflating and the main thread only sends (the
 * middleware leaves an answer that has a Content-Encoding alone).
 */
export function gzipAnswer(answer: ViewAnswer): ViewAnswer {
  if (answer.contentEncoding !== undefined || !worthGzipping(answer.contentType, answer.body.byteLength)) return answer;
  return { ...answer, contentEncoding: 'gzip', body: gzipSync(answer.body, { level: GZIP_LEVEL }) };
}
