// The process's Redis links as metrics: how many connections are down now, and for how long the longest
// has been (an alert on `pushwire_redis_down_seconds > 5` finds a process that lost its Redis for good).
import type { RedisLinkWatch } from '@pushwire/redis';
import { Gauge, type Registry } from 'prom-client';

export function registerRedisLinkMetrics(registry: Registry, links: RedisLinkWatch): void {
  new Gauge({
    name: 'pushwire_redis_connections_down',
    help: 'Redis connections of this process that are not ready now (reconnecting, or lost)',
    registers: [registry],
    collect() {
      this.set(links.down());
    },
  });
  new Gauge({
    name: 'pushwire_redis_down_seconds',
    help: 'How long the Redis connection of this process that is down the longest has been down (0: all up)',
    registers: [registry],
    collect() {
      this.set(links.downForMs() / 1000);
    },
  });
}
