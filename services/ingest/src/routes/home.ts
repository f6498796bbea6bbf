// GET / — Sylk's only liveness probe, answered as Sylk does.
import type { Hono } from 'hono';

export function registerHome(app: Hono): void {
  app.get('/', (c) => c.json('Welcome to sylk-push server'));
}
