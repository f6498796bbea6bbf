// Bull Board, read-only, for auditors: every app's push queue and log-sink queue (docs/decisions/0013-audit-board-and-job-ids.md).
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { HonoAdapter } from '@bull-board/hono';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Queue } from 'bullmq';
import { Hono } from 'hono';
import { boardOffline } from './board-offline.js';
import { redactJobData } from './redact-job-data.js';

export interface BoardOptions {
  /** Where the board is mounted, e.g. `/admin`; its job pages are `<basePath>/queue/<queue>/<job-id>`. */
  basePath: string;
  queues: readonly Queue[];
  /** `[admin] redact_content` in force (a reload may change it): message text shows as "[redacted]". */
  redactContent: () => boolean;
}

export interface Board {
  /** The board's routes (UI, assets, its JSON API), to mount at `basePath` behind authentication. */
  app: Hono;
  /** Shows these queues instead (after a configuration reload). */
  setQueues(queues: readonly Queue[]): void;
}

export function createBoard(options: BoardOptions): Board {
  const adapt = (queue: Queue) => {
    // Read-only per queue: every write route (retry, clean, add, pause, update data...) answers 405.
    const adapter = new BullMQAdapter(queue, { readOnlyMode: true, allowRetries: false });
    // The data formatter is applied to the job list and the job page alike (formatJob).
    adapter.setFormatter('data', (data: unknown) => redactJobData(data, { redactContent: options.redactContent() }));
    adapter.setFormatter('returnValue', (value: unknown) => redactJobData(value, { redactContent: false }));
    return adapter;
  };
  const server = new HonoAdapter(serveStatic).setBasePath(options.basePath);
  const board = createBullBoard({
    queues: options.queues.map(adapt),
    serverAdapter: server,
    options: { uiConfig: { boardTitle: 'Pushwire audit' } },
  });
  const app = new Hono();
  app.use('*', boardOffline());
  app.route('/', server.registerPlugin());
  return {
    app,
    setQueues: (queues) => board.replaceQueues(queues.map(adapt)),
  };
}
