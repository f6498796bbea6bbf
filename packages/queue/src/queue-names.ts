// Queue layout: one BullMQ queue per (app, platform), so one app's slow or failing provider cannot
// starve another's jobs, and Bull Board lists queues by app.
import type { Platform } from '@pushwire/core';

export function pushQueueName(appId: string, platform: Platform): string {
  // BullMQ joins prefix and queue name with ':'; app ids never contain one, but keep the name safe anyway.
  return `push.${platform}.${appId.replaceAll(':', '_')}`;
}
