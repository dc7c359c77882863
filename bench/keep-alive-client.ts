/**
 * A minimal sequential HTTP/1.1 client on one keep-alive connection, for the benchmark's
 * one-request-at-a-time figures. `fetch` (undici) spends about 1–1.5 ms of CPU per request
 * on these machines, more than the service spends on a create; with both processes on two
 * cores, a sequential figure would then mostly measure the client. node:http on a
 * keep-alive agent costs about 0.3 ms, and the same client measures the baseline.
 */
import http from 'node:http';

/** A parsed JSON response. */
export interface JsonResponse {
  readonly status: number;
  readonly body: any;
}

/** Sends requests one at a time over a single reused connection. */
export class KeepAliveClient {
  readonly #agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  readonly #base: string;
  readonly #headers: Record<string, string>;

  constructor(baseUrl: string, headers: Record<string, string>) {
    this.#base = baseUrl;
    this.#headers = headers;
  }

  /** Sends one request; resolves with the status and the parsed JSON body (undefined when empty). */
  request(method: string, path: string, body?: unknown): Promise<JsonResponse> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers = payload === undefined ? this.#headers : { ...this.#headers, 'Content-Length': String(Buffer.byteLength(payload)) };
    return new Promise((resolve, reject) => {
      const req = http.request(`${this.#base}${path}`, { method, agent: this.#agent, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
          } catch (err) {
            reject(err);
          }
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}
