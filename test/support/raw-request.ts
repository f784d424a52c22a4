import { request, type Agent } from 'node:http';

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/**
 * One HTTP request with the path sent exactly as given (fetch would resolve
 * dot segments and re-encode it), and the body written in parts: `between`
 * runs after each part but the last, while the server holds the request open.
 */
export function rawRequest(
  origin: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; parts?: Uint8Array[]; between?: () => Promise<void>; agent?: Agent } = {},
): Promise<RawAnswer> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    // A fresh connection each time unless an agent is given (benchmarks, whose back-to-back requests keep
    // theirs busy): a kept-alive one may be closed by the server just as it is reused (ECONNRESET).
    const req = request({ hostname, port, method, path, headers: options.headers, agent: options.agent ?? false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    void (async () => {
      const parts = options.parts ?? [];
      for (let i = 0; i < parts.length; i++) {
        // A server that answered early (413, 403) may close before the rest is written: that is its answer.
        if (req.destroyed) return;
        req.write(parts[i]);
        if (i < parts.length - 1 && options.between) await options.between();
      }
      req.end();
    })().catch(reject);
  });
}
