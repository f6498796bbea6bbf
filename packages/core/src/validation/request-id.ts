// Sylk's request id, the key of every log line about one push (`<event>-<app-id>-<call-id>`).
import type { PushRequest } from '../push-request.js';

export function requestIdOf(req: Pick<PushRequest, 'event' | 'appId' | 'callId'>): string {
  return `${req.event}-${req.appId}-${req.callId}`;
}
