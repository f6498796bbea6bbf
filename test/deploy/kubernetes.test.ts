// deploy/kubernetes: every manifest valid against the Kubernetes API types, and consistent with the code
// (probe paths the ingest app serves, port 8400, a grace period covering the 30 s graceful stop, the CLI).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCli } from '../../services/pushwire/src/cli-args.js';
import { createTestIngest } from '../../services/ingest/src/test-support/ingest-app.js';
import { instructionsOf, parseDockerfile } from './dockerfile-parser.js';
import { schemaProblems, unknownFieldProblems, type Manifest } from './kubernetes-models.js';
import { parseYamlFile, readRepoFile, repoPath, rootPackage, yamlFilesIn } from './repo-files.js';
import { configAndCredentialMounts, type Container, type Deployment, type PodSpec } from './kubernetes-shapes.js';

const DIR = 'deploy/kubernetes';
const manifestFiles = yamlFilesIn(DIR).filter((name) => name !== 'kustomization.yaml');
const manifests: Manifest[] = manifestFiles.flatMap((name) =>
  parseYamlFile(repoPath(DIR, name)).map((doc, i) => ({ label: `${name}#${i + 1}`, doc: doc as Manifest['doc'] })),
);
const byKind = (kind: string) => manifests.filter((m) => m.doc.kind === kind).map((m) => m.doc);
const named = <T>(kind: string, name: string): T => {
  const found = byKind(kind).find((doc) => (doc.metadata as { name?: string } | undefined)?.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in ${DIR}`);
  return found as T;
};
const ingest = named<Deployment>('Deployment', 'pushwire-ingest');
const worker = named<Deployment>('Deployment', 'pushwire-worker');
const containerOf = (deployment: Deployment): Container => {
  const [container, ...others] = deployment.spec.template.spec.containers;
  if (!container || others.length > 0) throw new Error(`${deployment.metadata.name}: expected exactly one container`);
  return container;
};
const runtimeUser = (() => {
  const stages = parseDockerfile(readRepoFile('deploy/Dockerfile')).stages;
  const runtime = stages[stages.length - 1];
  return runtime ? (instructionsOf(runtime, 'USER')[0]?.args ?? '') : '';
})();

describe('deploy/kubernetes manifests', () => {
  it('are all listed in kustomization.yaml, which sets the image tag to the package version', () => {
    const [kustomization] = parseYamlFile(repoPath(DIR, 'kustomization.yaml')) as Array<{
      resources: string[];
      images: Array<{ name: string; newTag: string }>;
    }>;
    expect([...(kustomization?.resources ?? [])].sort()).toEqual(manifestFiles);
    expect(kustomization?.images).toEqual([{ name: 'pushwire', newTag: rootPackage().version }]);
  });

  it('are valid Kubernetes objects (schema: types, enums, required fields)', () => {
    expect(manifests.length).toBeGreaterThanOrEqual(6);
    expect(manifests.flatMap(schemaProblems)).toEqual([]);
  });

  it('use only fields the Kubernetes API knows (strict field validation)', () => {
    expect(unknownFieldProblems(manifests)).toEqual([]);
    // The same check on a misspelt copy, so a pass above is a real verdict.
    const typo = structuredClone(worker) as unknown as { spec: Record<string, unknown> };
    typo.spec.template = {
      ...(typo.spec.template as object),
      spec: { ...worker.spec.template.spec, terminationGracePeriodSecond: 40 },
    };
    expect(unknownFieldProblems([{ label: 'typo', doc: typo as unknown as Manifest['doc'] }])).toEqual([
      expect.stringMatching(/^typo: .*terminationGracePeriodSecond/),
    ]);
  });

  it('are namespace-free and carry no secret values', () => {
    for (const m of manifests) expect((m.doc.metadata as { namespace?: string }).namespace, m.label).toBeUndefined();
    expect(byKind('Secret')).toEqual([]);
  });

  it('select their own pods: Deployment selectors, the Service and the PodDisruptionBudgets', () => {
    const labelsOf = (d: Deployment) => d.spec.template.metadata.labels;
    for (const d of [ingest, worker]) expect(labelsOf(d)).toMatchObject(d.spec.selector.matchLabels);
    const matches = (selector: Record<string, string>, d: Deployment) =>
      Object.entries(selector).every(([k, v]) => labelsOf(d)[k] === v);

    const service = named<{ spec: { selector: Record<string, string> } }>('Service', 'pushwire-ingest');
    expect(matches(service.spec.selector, ingest)).toBe(true);
    expect(matches(service.spec.selector, worker)).toBe(false);

    const pdbs = byKind('PodDisruptionBudget') as Array<{
      spec: { selector: { matchLabels: Record<string, string> }; minAvailable?: number };
    }>;
    expect(pdbs).toHaveLength(2);
    expect(pdbs.filter((p) => matches(p.spec.selector.matchLabels, ingest))).toHaveLength(1);
    expect(pdbs.filter((p) => matches(p.spec.selector.matchLabels, worker))).toHaveLength(1);
    for (const p of pdbs)
      if (p.spec.minAvailable !== undefined) expect(p.spec.minAvailable).toBeLessThan(ingest.spec.replicas);
  });

  it('serve ingest on port 8400 through the Service; metrics on their own port, not through it', () => {
    const container = containerOf(ingest);
    expect(container.ports).toEqual([
      { name: 'http', containerPort: 8400, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9400, protocol: 'TCP' },
    ]);
    expect(container.env.find((e) => e.name === 'PUSHWIRE_METRICS_PORT')?.value).toBe('9400');
    const service = named<{ spec: { ports: Array<{ port: number; targetPort: string | number }> } }>(
      'Service',
      'pushwire-ingest',
    );
    expect(service.spec.ports.map((p) => [p.port, p.targetPort])).toEqual([[8400, 'http']]);
  });

  it('run the CLI commands the image provides, with the ConfigMap as --config_dir', () => {
    const image = `pushwire:${rootPackage().version}`;
    for (const [deployment, command] of [
      [ingest, 'ingest'],
      [worker, 'worker'],
    ] as const) {
      const container = containerOf(deployment);
      expect(container.image).toBe(image);
      expect(container.command).toBeUndefined(); // the image's ENTRYPOINT stays
      const cli = parseCli(container.args ?? [], {});
      expect(cli.command).toEqual([command]);
      const { configMount, secretMount } = configAndCredentialMounts(deployment);
      expect(cli.configDir).toBe(configMount);
      expect(secretMount).toBe('/etc/pushwire/credentials');
    }
    expect(parseCli(containerOf(ingest).args ?? [], {}).ip).toBe('0.0.0.0');
  });

  it("run as the image's non-root user on a read-only root filesystem with a writable /tmp", () => {
    for (const deployment of [ingest, worker]) {
      const pod: PodSpec = deployment.spec.template.spec;
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(`${pod.securityContext.runAsUser}:${pod.securityContext.runAsGroup}`).toBe(runtimeUser);
      const container = containerOf(deployment);
      expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
      const tmp = container.volumeMounts.find((m) => m.mountPath === '/tmp');
      expect(pod.volumes.find((v) => v.name === tmp?.name)?.emptyDir).toBeDefined();
      // 0440 written in decimal: YAML 1.2 readers take a leading 0 as decimal, Kubernetes' as octal.
      expect(pod.volumes.find((v) => v.secret)?.secret?.defaultMode).toBe(0o440);
      expect(container.env.find((e) => e.name === 'REDIS_URL')?.valueFrom?.secretKeyRef).toEqual({
        name: 'pushwire-redis',
        key: 'url',
      });
    }
  });

  it('give the worker 3 replicas and time for its 30 s graceful stop; ingest also for its preStop pause', () => {
    expect(worker.spec.replicas).toBe(3);
    expect(worker.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(35);
    const container = containerOf(worker);
    // The worker's HTTP port (PUSHWIRE_WORKER_HTTP_PORT) carries its probes and /metrics, on every interface.
    const port = container.ports?.find((p) => p.name === 'health')?.containerPort;
    expect(container.env?.find((e) => e.name === 'PUSHWIRE_WORKER_HTTP_PORT')?.value).toBe(String(port));
    expect(container.args?.slice(-2)).toEqual(['--ip', '0.0.0.0']);
    expect(container.readinessProbe?.httpGet?.path).toBe('/readyz');
    expect(container.livenessProbe?.httpGet?.path).toBe('/healthz');
    for (const probe of [container.readinessProbe, container.livenessProbe, container.startupProbe])
      expect(probe?.httpGet?.port).toBe('health');
    const annotations = (worker.spec.template.metadata as { annotations?: Record<string, string> }).annotations;
    expect(annotations?.['prometheus.io/port']).toBe(String(port));

    const preStop = containerOf(ingest).lifecycle?.preStop?.exec?.command ?? [];
    expect(preStop[0]).toBe('sleep');
    const pause = Number(preStop[1]);
    expect(pause).toBeGreaterThan(0);
    expect(ingest.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(pause + 35);
  });

  describe('ingest probes', () => {
    let app: Awaited<ReturnType<typeof createTestIngest>>;
    beforeAll(async () => {
      app = await createTestIngest();
    });
    afterAll(async () => {
      await app.close();
    });

    it('readiness is /readyz, liveness and startup /healthz, on the http port, and the ingest app answers them', async () => {
      const container = containerOf(ingest);
      expect(container.readinessProbe?.httpGet.path).toBe('/readyz');
      expect(container.livenessProbe?.httpGet.path).toBe('/healthz');
      expect(container.startupProbe?.httpGet.path).toBe('/healthz');
      for (const probe of [container.readinessProbe, container.livenessProbe, container.startupProbe]) {
        expect(probe?.httpGet.port).toBe('http');
        const response = await app.app.request(probe?.httpGet.path ?? '/');
        expect(response.status, probe?.httpGet.path).toBe(200);
      }
      // A path the app does not serve fails, so the 200s above come from real routes.
      expect((await app.app.request('/ready')).status).toBe(404);
    });
  });
});
