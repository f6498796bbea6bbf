// deploy/kubernetes autoscaling: the KEDA ScaledObject of the workers reads a queue depth the ingest really
// reports (checked against real Redis), from pods Prometheus is told to scrape; the ingest HPA scales on CPU.
import { randomUUID } from 'node:crypto';
import { pushQueueName } from '@pushwire/queue';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createProcessMetrics } from '../../services/pushwire/src/metrics/process-metrics.js';
import { scaledObjectProblems } from './keda-schema.js';
import type { Deployment } from './kubernetes-shapes.js';
import { parseYamlFile, repoPath, yamlFilesIn } from './repo-files.js';

const DIR = 'deploy/kubernetes';
const docs = yamlFilesIn(DIR)
  .filter((name) => name !== 'kustomization.yaml')
  .flatMap((name) => parseYamlFile(repoPath(DIR, name))) as Array<
  { kind: string; metadata: { name: string } } & Record<string, unknown>
>;
function named<T>(kind: string, name: string): T {
  const found = docs.find((d) => d.kind === kind && d.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in ${DIR}`);
  return found as unknown as T;
}

interface ScalingRules {
  stabilizationWindowSeconds?: number;
  policies?: Array<{ type: string; value: number; periodSeconds: number }>;
}
interface ScaledObject {
  spec: {
    scaleTargetRef: { apiVersion?: string; kind?: string; name: string };
    minReplicaCount: number;
    maxReplicaCount: number;
    fallback?: { failureThreshold: number; replicas: number };
    advanced?: { horizontalPodAutoscalerConfig?: { behavior?: { scaleUp?: ScalingRules; scaleDown?: ScalingRules } } };
    triggers: Array<{ type: string; metricType?: string; metadata: Record<string, string> }>;
  };
}
interface Hpa {
  spec: {
    scaleTargetRef: { apiVersion: string; kind: string; name: string };
    minReplicas: number;
    maxReplicas: number;
    metrics: Array<{
      type: string;
      resource?: { name: string; target: { type: string; averageUtilization?: number } };
    }>;
  };
}
type IngestPod = Deployment & { spec: { template: { metadata: { annotations?: Record<string, string> } } } };
type Resources = { resources?: { requests?: { cpu?: string } } };

const scaledObject = named<ScaledObject>('ScaledObject', 'pushwire-worker');
const hpa = named<Hpa>('HorizontalPodAutoscaler', 'pushwire-ingest');
const worker = named<Deployment>('Deployment', 'pushwire-worker');
const ingest = named<IngestPod>('Deployment', 'pushwire-ingest');
const [trigger] = scaledObject.spec.triggers;

describe('worker autoscaling (KEDA ScaledObject)', () => {
  it('is a valid ScaledObject, and the schema check refuses misspelt keys', () => {
    expect(scaledObjectProblems(scaledObject)).toEqual([]);
    const typo = structuredClone(scaledObject) as unknown as { spec: Record<string, unknown> & ScaledObject['spec'] };
    typo.spec.minReplicas = 3;
    typo.spec.triggers[0]!.metadata = { ...typo.spec.triggers[0]!.metadata, qeury: 'x' };
    expect(scaledObjectProblems(typo)).toEqual([
      expect.stringMatching(/^\/spec: must NOT have additional properties \(minReplicas\)/),
      expect.stringMatching(/^\/spec\/triggers\/0\/metadata: must NOT have additional properties \(qeury\)/),
    ]);
  });

  it('scales the worker Deployment, never below its 3 replicas nor to zero, and sheds workers slowly', () => {
    expect(scaledObject.spec.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: worker.metadata.name,
    });
    const { minReplicaCount: min, maxReplicaCount: max, fallback } = scaledObject.spec;
    expect(min).toBeGreaterThanOrEqual(2);
    expect(min).toBeLessThanOrEqual(worker.spec.replicas);
    expect(max).toBeGreaterThan(worker.spec.replicas);
    expect(fallback?.replicas).toBeGreaterThanOrEqual(min);
    expect(fallback?.replicas).toBeLessThanOrEqual(max);
    // Apple dislikes connection churn: each worker holds one HTTP/2 connection per Apple app.
    const down = scaledObject.spec.advanced?.horizontalPodAutoscalerConfig?.behavior?.scaleDown;
    expect(down?.stabilizationWindowSeconds).toBeGreaterThanOrEqual(300);
    expect(down?.policies?.every((p) => p.type === 'Pods' && p.value === 1)).toBe(true);
    // No HPA of ours on the workers: KEDA makes its own, and two autoscalers on one Deployment fight.
    expect(
      docs.filter(
        (d) =>
          d.kind === 'HorizontalPodAutoscaler' &&
          (d as unknown as Hpa).spec.scaleTargetRef.name === worker.metadata.name,
      ),
    ).toEqual([]);
  });

  it('triggers on the waiting pushes per worker, from the ingest pods Prometheus scrapes', () => {
    expect(scaledObject.spec.triggers).toHaveLength(1);
    expect(trigger?.type).toBe('prometheus');
    expect(trigger?.metricType).toBe('AverageValue');
    expect(Number(trigger?.metadata.threshold)).toBeGreaterThan(0);
    expect(trigger?.metadata.query).toBe('sum(max by (queue) (pushwire_queue_jobs{state="waiting"}))');
    // Prometheus is pointed at the ingest pods' metrics port, which is the port ingest is told to serve on.
    const container = ingest.spec.template.spec.containers[0]!;
    const metricsPort = container.ports?.find((p) => p.name === 'metrics')?.containerPort;
    expect(container.env.find((e) => e.name === 'PUSHWIRE_METRICS_PORT')?.value).toBe(String(metricsPort));
    expect(ingest.spec.template.metadata.annotations).toEqual({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': String(metricsPort),
      'prometheus.io/path': '/metrics',
    });
  });

  describe('the query against what ingest really exports', () => {
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    const prefix = `pwtest-${randomUUID()}`;
    afterAll(async () => {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    });

    it('two ingest pods scraped, two app queues with 3 and 2 waiting (and others active or delayed): 5', async () => {
      const names = [pushQueueName('com.example.a', 'apple'), pushQueueName('com.example.b', 'firebase')];
      const queues = names.map((name) => new Queue(name, { connection: redis, prefix }));
      try {
        for (const i of [1, 2, 3]) await queues[0]!.add(`a${i}`, {});
        for (const i of [1, 2]) await queues[1]!.add(`b${i}`, {});
        await queues[1]!.add('later', {}, { delay: 60_000 });
        // Each ingest pod reads the same Redis: two scrapes of two separate processes' registries.
        const pods = [0, 1].map(() => createProcessMetrics({ ingest: true, worker: false }));
        try {
          const scrapes = await Promise.all(
            pods.map(async ({ registry, ingest: metrics }, pod) => {
              metrics!.queues.watch({ redis, prefix, queueNames: () => names });
              return parseExposition(await registry.metrics(), `pod-${pod}`);
            }),
          );
          expect(evaluate(scrapes.flat())).toBe(5);
        } finally {
          await Promise.all(pods.map((p) => p.ingest!.queues.close()));
        }
      } finally {
        await Promise.all(queues.map((q) => q.close()));
      }
    });
  });
});

describe('ingest autoscaling (HorizontalPodAutoscaler, autoscaling/v2)', () => {
  it('scales the ingest Deployment on CPU utilization of its request, from its starting size up', () => {
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: ingest.metadata.name });
    expect(hpa.spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
    ]);
    expect(hpa.spec.minReplicas).toBe(ingest.spec.replicas);
    expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas);
    // Utilization is a share of the request: without one the HPA cannot compute it.
    const container = ingest.spec.template.spec.containers[0] as unknown as Resources;
    expect(container.resources?.requests?.cpu).toMatch(/^\d+m$/);
    // The PodDisruptionBudget must still let a node drain at the smallest size.
    const pdb = docs.find(
      (d) => d.kind === 'PodDisruptionBudget' && d.metadata.name === 'pushwire-ingest',
    ) as unknown as { spec: { minAvailable: number } };
    expect(pdb.spec.minAvailable).toBeLessThan(hpa.spec.minReplicas);
  });
});

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Samples of Prometheus' text format, with the `pod` label Prometheus' Kubernetes discovery would add. */
function parseExposition(text: string, pod: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const m = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!m) throw new Error(`unparsable sample: ${line}`);
      const labels = Object.fromEntries(
        [...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1]!, l[2]!]),
      );
      return { name: m[1]!, labels: { ...labels, pod }, value: Number(m[3]) };
    });
}

/** `sum(max by (queue) (pushwire_queue_jobs{state="waiting"}))`, evaluated the way Prometheus does. */
function evaluate(samples: readonly Sample[]): number {
  const query = /^sum\(max by \((\w+)\) \((\w+)\{(\w+)="(\w+)"\}\)\)$/.exec(trigger?.metadata.query ?? '');
  if (!query)
    throw new Error(`the test evaluates only sum(max by (L) (metric{label="value"})), not ${trigger?.metadata.query}`);
  const [, by, metric, label, value] = query;
  const maxBy = new Map<string, number>();
  for (const s of samples) {
    if (s.name !== metric || s.labels[label!] !== value) continue;
    const key = s.labels[by!] ?? '';
    maxBy.set(key, Math.max(maxBy.get(key) ?? -Infinity, s.value));
  }
  if (maxBy.size === 0) throw new Error(`no ${metric}{${label}="${value}"} sample`);
  return [...maxBy.values()].reduce((a, b) => a + b, 0);
}
