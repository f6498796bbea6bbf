// The BullMQ key prefix of one queue, for a single Redis or a Redis Cluster.

/**
 * On a Cluster each queue's keys must share a slot (BullMQ's scripts touch several at once), so the prefix
 * carries a hash tag of its own per queue, which also spreads the queues over the primaries; elsewhere it is
 * the plain prefix, so existing queues keep their keys.
 */
export function queuePrefix(prefix: string, queueName: string, cluster: boolean): string {
  return cluster ? `{${prefix}:${queueName}}` : prefix;
}
