// The parts of Pushwire's Deployments the deploy tests read, typed (validity is checked by kubernetes-models).

export interface Probe {
  httpGet: { path: string; port: string | number };
}

export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  ports?: Array<{ name?: string; containerPort: number; protocol?: string }>;
  env: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }>;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
  securityContext: { readOnlyRootFilesystem?: boolean };
  volumeMounts: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
}

export interface Volume {
  name: string;
  configMap?: { name: string };
  secret?: { secretName: string; defaultMode?: number };
  emptyDir?: object;
}

export interface PodSpec {
  terminationGracePeriodSeconds: number;
  securityContext: { runAsNonRoot?: boolean; runAsUser?: number; runAsGroup?: number };
  containers: Container[];
  volumes: Volume[];
}

export interface Deployment {
  metadata: { name: string };
  spec: {
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
  };
}

/** Where the first container mounts the `pushwire-config` ConfigMap and the `pushwire-credentials` Secret. */
export function configAndCredentialMounts(deployment: Deployment): {
  configMount: string | null;
  secretMount: string | null;
} {
  const pod = deployment.spec.template.spec;
  const mountOf = (volume: Volume | undefined): string | null =>
    pod.containers[0]?.volumeMounts.find((m) => m.name === volume?.name)?.mountPath ?? null;
  return {
    configMount: mountOf(pod.volumes.find((v) => v.configMap?.name === 'pushwire-config')),
    secretMount: mountOf(pod.volumes.find((v) => v.secret?.secretName === 'pushwire-credentials')),
  };
}
