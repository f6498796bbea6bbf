// KEDA's ScaledObject (keda.sh/v1alpha1) has no kubernetes-models type here: a JSON schema of its documented
// fields (https://keda.sh/docs/latest/reference/scaledobject-spec/, and the prometheus trigger's metadata,
// https://keda.sh/docs/latest/scalers/prometheus/), strict about unknown keys as `kubectl --validate=strict` is.
import { Ajv2019, type ErrorObject } from 'ajv/dist/2019.js';

const int32 = (minimum?: number) => ({
  type: 'integer',
  ...(minimum === undefined ? {} : { minimum }),
  maximum: 2 ** 31 - 1,
});
/** A Kubernetes quantity given as a string ("500", "0.5", "1k"). */
const quantity = {
  type: 'string',
  pattern: '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([KMGTPE]i|[numkMGTPE]|[eE][+-]?[0-9]+)?$',
};

const scalingRules = {
  type: 'object',
  additionalProperties: false,
  properties: {
    stabilizationWindowSeconds: { type: 'integer', minimum: 0, maximum: 3600 },
    selectPolicy: { enum: ['Max', 'Min', 'Disabled'] },
    policies: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['type', 'value', 'periodSeconds'],
        properties: {
          type: { enum: ['Pods', 'Percent'] },
          value: int32(1),
          periodSeconds: { type: 'integer', minimum: 1, maximum: 1800 },
        },
      },
    },
  },
};

/** Metadata the prometheus scaler reads; every value is a string (KEDA's metadata is map[string]string). */
const prometheusMetadata = {
  type: 'object',
  additionalProperties: false,
  required: ['serverAddress', 'query', 'threshold'],
  properties: {
    serverAddress: { type: 'string', pattern: '^https?://' },
    query: { type: 'string', minLength: 1 },
    threshold: quantity,
    activationThreshold: quantity,
    namespace: { type: 'string' },
    customHeaders: { type: 'string' },
    queryParameters: { type: 'string' },
    ignoreNullValues: { enum: ['true', 'false'] },
    unsafeSsl: { enum: ['true', 'false'] },
    timeout: { type: 'string' },
    awsRegion: { type: 'string' },
    identityOwner: { type: 'string' },
  },
};

export const SCALED_OBJECT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'keda.sh/v1alpha1' },
    kind: { const: 'ScaledObject' },
    metadata: {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 253 },
        namespace: { type: 'string' },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        annotations: { type: 'object', additionalProperties: { type: 'string' } },
      },
    },
    spec: {
      type: 'object',
      additionalProperties: false,
      required: ['scaleTargetRef', 'triggers'],
      properties: {
        scaleTargetRef: {
          type: 'object',
          additionalProperties: false,
          required: ['name'],
          properties: {
            apiVersion: { type: 'string' },
            kind: { type: 'string' },
            name: { type: 'string' },
            envSourceContainerName: { type: 'string' },
          },
        },
        pollingInterval: int32(1),
        cooldownPeriod: int32(0),
        initialCooldownPeriod: int32(0),
        idleReplicaCount: int32(0),
        minReplicaCount: int32(0),
        maxReplicaCount: int32(1),
        fallback: {
          type: 'object',
          additionalProperties: false,
          required: ['failureThreshold', 'replicas'],
          properties: {
            failureThreshold: int32(0),
            replicas: int32(0),
            behavior: { enum: ['static', 'currentReplicas', 'currentReplicasIfHigher', 'currentReplicasIfLower'] },
          },
        },
        advanced: {
          type: 'object',
          additionalProperties: false,
          properties: {
            restoreToOriginalReplicaCount: { type: 'boolean' },
            horizontalPodAutoscalerConfig: {
              type: 'object',
              additionalProperties: false,
              properties: {
                name: { type: 'string' },
                behavior: {
                  type: 'object',
                  additionalProperties: false,
                  properties: { scaleUp: scalingRules, scaleDown: scalingRules },
                },
              },
            },
          },
        },
        triggers: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['type', 'metadata'],
            properties: {
              type: { type: 'string', minLength: 1 },
              name: { type: 'string' },
              metricType: { enum: ['AverageValue', 'Value', 'Utilization'] },
              useCachedMetrics: { type: 'boolean' },
              authenticationRef: {
                type: 'object',
                additionalProperties: false,
                required: ['name'],
                properties: {
                  name: { type: 'string' },
                  kind: { enum: ['TriggerAuthentication', 'ClusterTriggerAuthentication'] },
                },
              },
              metadata: { type: 'object', additionalProperties: { type: 'string' } },
            },
            // The scaler this file uses gets its own keys checked too.
            if: { properties: { type: { const: 'prometheus' } } },
            // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a thenable
            then: { properties: { metadata: prometheusMetadata } },
          },
        },
      },
    },
  },
} as const;

/** Readable problems of one ScaledObject (empty when valid): `/spec/triggers/0/metadata: … (qeury)`. */
export function scaledObjectProblems(document: unknown): string[] {
  const ajv = new Ajv2019({ allErrors: true, strict: true, strictTypes: false });
  const validate = ajv.compile(SCALED_OBJECT_SCHEMA);
  return validate(document) ? [] : (validate.errors ?? []).filter((e) => e.keyword !== 'if').map(describe);
}

function describe(error: ErrorObject): string {
  const extra = error.params as { additionalProperty?: string; allowedValues?: unknown[] };
  const detail = extra.additionalProperty ?? (extra.allowedValues ? extra.allowedValues.join(', ') : undefined);
  return `${error.instancePath || '/'}: ${error.message ?? error.keyword}${detail ? ` (${detail})` : ''}`;
}
