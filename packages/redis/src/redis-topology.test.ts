// One URL names one Redis topology; every service connects to it the same way.
import { describe, expect, it } from 'vitest';
import { describeRedisTopology, parseRedisTopology, queuePrefix, RedisUrlError } from './redis-topology.js';

describe('parseRedisTopology', () => {
  it('reads a single server, with credentials and TLS', () => {
    expect(parseRedisTopology('rediss://app:p%40ss@redis.example:6380/2')).toEqual({
      kind: 'standalone',
      url: 'rediss://app:p%40ss@redis.example:6380/2',
      tls: true,
      username: 'app',
      password: 'p@ss',
    });
  });

  it('reads a Sentinel group: the sentinels, the primary name, the db', () => {
    expect(parseRedisTopology('redis+sentinel://:pw@10.0.0.1:26379,[::1]:26380,s3/mymaster/1')).toEqual({
      kind: 'sentinel',
      name: 'mymaster',
      db: 1,
      tls: false,
      password: 'pw',
      sentinels: [
        { host: '10.0.0.1', port: 26379 },
        { host: '::1', port: 26380 },
        { host: 's3', port: 26379 },
      ],
    });
    expect(() => parseRedisTopology('redis+sentinel://s1:26379')).toThrow(RedisUrlError);
  });

  it('reads a Cluster from a URL or from REDIS_CLUSTER_NODES', () => {
    expect(parseRedisTopology('rediss+cluster://u:p@n1:7000,n2:7001')).toEqual({
      kind: 'cluster',
      nodes: [
        { host: 'n1', port: 7000 },
        { host: 'n2', port: 7001 },
      ],
      tls: true,
      username: 'u',
      password: 'p',
    });
    expect(parseRedisTopology('redis://:pw@x:1', 'n1:7000,n2:7001')).toMatchObject({
      kind: 'cluster',
      password: 'pw',
      nodes: [
        { host: 'n1', port: 7000 },
        { host: 'n2', port: 7001 },
      ],
    });
    expect(() => parseRedisTopology('redis+cluster://n1:7000/0')).toThrow(RedisUrlError);
    expect(() => parseRedisTopology('redis+cluster://n1:99999')).toThrow(RedisUrlError);
    expect(() => parseRedisTopology('http://n1:7000')).toThrow(RedisUrlError);
  });

  it('describes a topology without its password', () => {
    for (const url of [
      'redis://u:secret@h:1/0',
      'redis+sentinel://:secret@a:1,b:2/m',
      'rediss+cluster://u:secret@a:1,b:2',
    ]) {
      const text = describeRedisTopology(parseRedisTopology(url));
      expect(text).not.toContain('secret');
    }
    expect(describeRedisTopology(parseRedisTopology('redis+sentinel://:secret@a:1,b:2/m'))).toBe(
      'redis+sentinel://a:1,b:2/m',
    );
  });
});

describe('queuePrefix', () => {
  it('gives each queue its own hash tag on a Cluster, the plain prefix elsewhere', () => {
    expect(queuePrefix('pushwire', 'push.apple.com.x', true)).toBe('{pushwire:push.apple.com.x}');
    expect(queuePrefix('pushwire', 'push.apple.com.x', false)).toBe('pushwire');
  });
});
