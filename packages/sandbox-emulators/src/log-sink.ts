// A remote log sink (Sylk's log_remote_urls target) for tests: records what it accepts, and can be
// taken down by answering 503, resetting connections, or stalling without an answer.
import { EventEmitter } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How a down sink fails: 503, a reset connection (a transport error), or no answer at all. */
export type LogSinkFault = 'unavailable' | 'reset' | 'stall';

export interface LogSinkReply {
  /** Default 200. A non-2xx status means the record is not counted as received. */
  status?: number;
  /** JSON-encoded unless a string. Default `{"result":"ok"}`. */
  body?: unknown;
}

export interface LogSinkOptions {
  /** The answer to a record while up; a function sees the parsed record and its request's index. */
  reply?: LogSinkReply | ((record: unknown, requestIndex: number) => LogSinkReply);
}

export interface LogSinkRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Empty for a reset request (the body is not read). */
  body: string;
  /** The status answered, or how the request was failed. */
  outcome: number | 'reset' | 'stalled';
}

export interface LogSink {
  readonly url: string;
  /** Parsed bodies of the records answered 2xx, in arrival order (a retried record may appear twice). */
  readonly records: unknown[];
  /** Every request received, refused and stalled ones included. */
  readonly requests: LogSinkRequest[];
  down(fault?: LogSinkFault): void;
  up(): void;
  /** Resolves once `count` records were accepted; rejects after `timeoutMs` (default 10000) saying how many came. */
  waitFor(count: number, timeoutMs?: number): Promise<unknown[]>;
  /** As waitFor, counting every request (a down sink's refusals included). */
  waitForRequests(count: number, timeoutMs?: number): Promise<LogSinkRequest[]>;
  close(): Promise<void>;
}

export async function startLogSink(options: LogSinkOptions = {}): Promise<LogSink> {
  const records: unknown[] = [];
  const requests: LogSinkRequest[] = [];
  const events = new EventEmitter();
  const stalled = new Set<ServerResponse>();
  let fault: LogSinkFault | null = null;
  let arrivals = 0;

  const server = createServer((req, res) => {
    const index = arrivals++;
    if (fault === 'reset') {
      requests.push(entry(req, '', 'reset'));
      events.emit('request');
      req.socket.destroy();
      return;
    }
    void readBody(req).then((body) => {
      if (fault === 'stall') {
        requests.push(entry(req, body, 'stalled'));
        stalled.add(res);
        res.on('close', () => stalled.delete(res));
        events.emit('request');
        return;
      }
      if (fault === 'unavailable') return answer(req, res, body, 503, { detail: 'log sink unavailable' });

      let record: unknown;
      try {
        record = JSON.parse(body);
      } catch {
        return answer(req, res, body, 400, { detail: 'body is not JSON' });
      }
      const reply = typeof options.reply === 'function' ? options.reply(record, index) : (options.reply ?? {});
      const status = reply.status ?? 200;
      if (status >= 200 && status < 300) records.push(record);
      answer(req, res, body, status, reply.body === undefined ? { result: 'ok' } : reply.body);
      if (status >= 200 && status < 300) events.emit('record');
    });
  });

  function answer(req: IncomingMessage, res: ServerResponse, body: string, status: number, replyBody: unknown): void {
    requests.push(entry(req, body, status));
    const text = typeof replyBody === 'string' ? replyBody : JSON.stringify(replyBody);
    res.writeHead(status, { 'content-type': 'application/json' }).end(text);
    events.emit('request');
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  function waitUntil<T>(list: T[], event: string, count: number, timeoutMs: number, what: string): Promise<T[]> {
    if (list.length >= count) return Promise.resolve(list);
    return new Promise((resolve, reject) => {
      const check = () => {
        if (list.length < count) return;
        cleanup();
        resolve(list);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`log sink: ${list.length} of ${count} ${what} after ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        events.off(event, check);
      };
      events.on(event, check);
    });
  }

  return {
    url: `http://127.0.0.1:${port}/log`,
    records,
    requests,
    down(kind: LogSinkFault = 'unavailable') {
      fault = kind;
    },
    up() {
      // Requests already stalled stay unanswered: their clients time out, as with a real hung server.
      fault = null;
    },
    waitFor: (count, timeoutMs = 10_000) => waitUntil(records, 'record', count, timeoutMs, 'records'),
    waitForRequests: (count, timeoutMs = 10_000) => waitUntil(requests, 'request', count, timeoutMs, 'requests'),
    async close() {
      for (const res of stalled) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function entry(req: IncomingMessage, body: string, outcome: LogSinkRequest['outcome']): LogSinkRequest {
  return { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, outcome };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    // A client that gives up mid-body: what arrived is what there is.
    req.on('error', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}
