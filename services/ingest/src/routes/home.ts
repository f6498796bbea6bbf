// GET / — Sylk's only liveness probe, answered as Sylk does.
import type { Hono } from 'hono';
import { describe } from '../describe-route.js';
import { HOME } from '../openapi-service.js';

export function registerHome(app: Hono): void {
  app.get('/', describe(HOME), (c) => c.json('Welcome to sylk-push server'));
}
