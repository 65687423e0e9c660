import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/shared/logger';
import { testConfig, type TestApp } from './app';

/*
 * For what supertest cannot send: a body without any Content-Type, a body
 * streamed in chunks without Content-Length. The app listens on a port of
 * its own, on the test file's database.
 */
export type Listening = { port: number; close(): Promise<void> };

export async function listen(t: TestApp): Promise<Listening> {
  const app = createApp({ db: t.db, config: testConfig(), logger: createLogger('silent') });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type RawResponse = { status: number; headers: http.IncomingHttpHeaders; text: string; body: any };

/**
 * Sends a request with exactly the given headers; `chunks` are written one
 * by one (with no Content-Length header the body goes chunked). Write errors
 * after the server has answered (it may stop reading an oversized body) are
 * ignored: the answer is what the test is about.
 */
export function rawRequest(
  port: number,
  opts: { method: string; path: string; headers?: Record<string, string>; chunks?: (string | Buffer)[] },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: opts.method, path: opts.path, headers: opts.headers ?? {}, agent: false });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        let body: any;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body });
      });
      res.on('error', reject);
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    const chunks = [...(opts.chunks ?? [])];
    const pump = () => {
      while (chunks.length > 0 && !answered) {
        const chunk = chunks.shift()!;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      req.end();
    };
    pump();
  });
}
