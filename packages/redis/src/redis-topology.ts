// Which Redis Pushwire talks to, from one URL: a single server (`redis://`, `rediss://`), a Sentinel-managed
// primary (`redis+sentinel://`), or a Redis Cluster (`redis+cluster://`, or REDIS_CLUSTER_NODES). One parser,
// so every connection of every service (ingest, workers, sinks, storage, CLI) reaches the same place.

export interface RedisNode {
  host: string;
  port: number;
}

interface Credentials {
  username?: string;
  password?: string;
  /** TLS to the data nodes (`rediss`). */
  tls: boolean;
}

export type RedisTopology =
  | ({ kind: 'standalone'; url: string } & Credentials)
  | ({ kind: 'sentinel'; sentinels: RedisNode[]; name: string; db: number } & Credentials)
  | ({ kind: 'cluster'; nodes: RedisNode[] } & Credentials);

export class RedisUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedisUrlError';
  }
}

const SCHEMES = /^(rediss?)(\+(sentinel|cluster))?:\/\//;

/**
 * Parses a Redis URL:
 * - `redis[s]://[user:pass@]host:port[/db]`: one server;
 * - `redis[s]+sentinel://[user:pass@]s1:26379,s2:26379/<primary-name>[/db]`: the primary a Sentinel group
 *   names (the credentials are the data nodes'; Sentinels are asked without);
 * - `redis[s]+cluster://[user:pass@]n1:7000,n2:7001`: a Redis Cluster, seeded from those nodes.
 * `clusterNodes` (`REDIS_CLUSTER_NODES`, `host:port,host:port`) selects a cluster too, taking credentials and
 * TLS from a plain `url`.
 */
export function parseRedisTopology(url: string, clusterNodes?: string): RedisTopology {
  const scheme = SCHEMES.exec(url);
  if (!scheme) throw new RedisUrlError('must be a redis://, rediss://, redis+sentinel:// or redis+cluster:// URL');
  const tls = scheme[1] === 'rediss';
  const mode = scheme[3] as 'sentinel' | 'cluster' | undefined;
  const rest = url.slice(scheme[0].length);
  const at = rest.lastIndexOf('@', rest.indexOf('/') === -1 ? rest.length : rest.indexOf('/'));
  const credentials = at === -1 ? {} : parseUserInfo(rest.slice(0, at));
  const afterAuth = at === -1 ? rest : rest.slice(at + 1);
  const slash = afterAuth.indexOf('/');
  const hostList = slash === -1 ? afterAuth : afterAuth.slice(0, slash);
  const path = slash === -1 ? '' : afterAuth.slice(slash + 1);

  if (clusterNodes !== undefined && clusterNodes.trim() !== '') {
    if (mode) throw new RedisUrlError('REDIS_CLUSTER_NODES goes with a plain redis:// or rediss:// URL');
    return { kind: 'cluster', nodes: parseNodes(clusterNodes, 6379), tls, ...credentials };
  }
  if (mode === 'cluster') {
    if (path !== '') throw new RedisUrlError('a Redis Cluster has no database number: drop the path');
    return { kind: 'cluster', nodes: parseNodes(hostList, 6379), tls, ...credentials };
  }
  if (mode === 'sentinel') {
    const [name, db, extra] = path.split('/');
    if (!name || extra !== undefined) throw new RedisUrlError('a Sentinel URL ends with /<primary-name>[/<db>]');
    return {
      kind: 'sentinel',
      sentinels: parseNodes(hostList, 26379),
      name: decodeURIComponent(name),
      db: parseDb(db),
      tls,
      ...credentials,
    };
  }
  if (!URL.canParse(url)) throw new RedisUrlError('is not a valid URL');
  return { kind: 'standalone', url, tls, ...credentials };
}

/** Where the data lives, for messages and logs: never the password. */
export function describeRedisTopology(topology: RedisTopology): string {
  const user = topology.username ? `${topology.username}@` : '';
  const scheme = topology.tls ? 'rediss' : 'redis';
  switch (topology.kind) {
    case 'standalone': {
      const u = new URL(topology.url);
      return `${u.protocol}//${user}${u.host}${u.pathname === '/' ? '' : u.pathname}`;
    }
    case 'sentinel':
      return `${scheme}+sentinel://${user}${topology.sentinels.map(nodeText).join(',')}/${topology.name}`;
    case 'cluster':
      return `${scheme}+cluster://${user}${topology.nodes.map(nodeText).join(',')}`;
  }
}

function nodeText(node: RedisNode): string {
  return `${node.host.includes(':') ? `[${node.host}]` : node.host}:${node.port}`;
}

function parseUserInfo(userInfo: string): { username?: string; password?: string } {
  const colon = userInfo.indexOf(':');
  const username = decodeURIComponent(colon === -1 ? userInfo : userInfo.slice(0, colon));
  const password = colon === -1 ? undefined : decodeURIComponent(userInfo.slice(colon + 1));
  return { ...(username ? { username } : {}), ...(password !== undefined ? { password } : {}) };
}

function parseNodes(list: string, defaultPort: number): RedisNode[] {
  const nodes = list
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(entry);
      if (!m) throw new RedisUrlError(`'${entry}' is not host:port`);
      const port = m[2] === undefined ? defaultPort : Number(m[2]);
      if (!(port >= 1 && port <= 65535)) throw new RedisUrlError(`'${entry}' has no valid port`);
      return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
    });
  if (nodes.length === 0) throw new RedisUrlError('names no host');
  return nodes;
}

function parseDb(db: string | undefined): number {
  if (db === undefined || db === '') return 0;
  if (!/^\d+$/.test(db)) throw new RedisUrlError(`database '${db}' is not a number`);
  return Number(db);
}

export { queuePrefix } from '@pushwire/core';
