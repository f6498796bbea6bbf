// Ties a route's OpenAPI description to its registration: `app.get(path, describe(SPEC), ...handlers)`. The
// document's paths are then read off `app.routes` (openapi.ts), so a documented path is one the app serves.
//
// Our own middleware rather than hono-openapi's `describeRoute`: that library builds operations from its own
// resolvers and assembles the document itself, while ours pairs named examples across request, parameters and
// responses (buildOperation) and refers to shared component schemas; keeping that shape byte for byte (the
// example replay test reads it) is simpler with a marker than by translating into another library's format.
import type { MiddlewareHandler } from 'hono';
import type { OperationSpec } from './openapi-operation.js';

const SPEC = Symbol('pushwire.operationSpec');

type DescribedHandler = MiddlewareHandler & { [SPEC]: OperationSpec };

/** A pass-through middleware carrying `spec`, for the document generator to find among the app's routes. */
export function describe(spec: OperationSpec): MiddlewareHandler {
  const middleware: MiddlewareHandler = async (_c, next) => {
    await next();
  };
  return Object.assign(middleware, { [SPEC]: spec }) satisfies DescribedHandler;
}

/** The spec a route handler carries, if it is a `describe` middleware. */
export function specOf(handler: unknown): OperationSpec | undefined {
  return typeof handler === 'function' && SPEC in handler ? (handler as DescribedHandler)[SPEC] : undefined;
}
