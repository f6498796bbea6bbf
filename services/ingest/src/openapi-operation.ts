// Builds one OpenAPI operation from a compact spec whose named examples pair a request with its answer.
import { schemaRef } from './openapi-schemas.js';

/**
 * One worked example. Its `name` is used in the request body's `examples`, in each path parameter's `examples`
 * and in the `examples` of the response with `status`: the same name ties them together.
 */
export interface ApiExample {
  name: string;
  summary: string;
  /** When the answer depends on more than the request (configuration, state, a method other than the operation's). */
  description?: string;
  /** Path parameter values. */
  params?: Readonly<Record<string, string>>;
  /** Request header values (e.g. `Idempotency-Key`), by header name as declared in `headerParams`. */
  headers?: Readonly<Record<string, string>>;
  /** The JSON body; a string is the raw body text (OpenAPI 3.1: a serialised example), e.g. malformed JSON. */
  body?: unknown;
  status: number;
  answer: unknown;
}

type MediaType = 'application/json' | 'text/plain' | 'text/html';

export interface ResponseSpec {
  description: string;
  /** Component ids of the possible bodies (several: `anyOf`); `null` for a response without a body. */
  schemas: readonly string[] | null;
  /** Default `application/json`. */
  mediaType?: MediaType;
  /** Response headers worth documenting, name → description. */
  headers?: Readonly<Record<string, string>>;
}

export interface OperationSpec {
  operationId: string;
  tags: readonly string[];
  summary: string;
  description?: string;
  pathParams?: ReadonlyArray<{ name: string; description: string }>;
  /** Optional request headers the operation reads. */
  headerParams?: ReadonlyArray<{ name: string; description: string; schema: Readonly<Record<string, unknown>> }>;
  /** Component id of the JSON request body. */
  requestSchema?: string;
  responses: Readonly<Record<string, ResponseSpec>>;
  examples: readonly ApiExample[];
  security?: ReadonlyArray<Record<string, string[]>>;
}

function schemaOf(ids: readonly string[]): Record<string, unknown> {
  const refs = ids.map(schemaRef);
  return refs.length === 1 ? refs[0]! : { anyOf: refs };
}

/** The OpenAPI Operation Object; throws when an example answers a status the operation does not document. */
export function buildOperation(spec: OperationSpec): Record<string, unknown> {
  const responses: Record<string, Record<string, unknown>> = {};
  for (const [status, r] of Object.entries(spec.responses)) {
    const response: Record<string, unknown> = { description: r.description };
    if (r.headers) {
      response.headers = Object.fromEntries(
        Object.entries(r.headers).map(([name, description]) => [name, { description, schema: { type: 'string' } }]),
      );
    }
    if (r.schemas !== null) {
      const examples = Object.fromEntries(
        spec.examples
          .filter((e) => String(e.status) === status)
          .map((e) => [
            e.name,
            { summary: e.summary, ...(e.description ? { description: e.description } : {}), value: e.answer },
          ]),
      );
      response.content = {
        [r.mediaType ?? 'application/json']: {
          schema: schemaOf(r.schemas),
          ...(Object.keys(examples).length ? { examples } : {}),
        },
      };
    }
    responses[status] = response;
  }
  for (const e of spec.examples) {
    if (!responses[String(e.status)]?.content)
      throw new Error(
        `${spec.operationId}: example ${e.name} answers ${e.status}, which is not documented with a body`,
      );
  }

  const operation: Record<string, unknown> = { operationId: spec.operationId, tags: spec.tags, summary: spec.summary };
  if (spec.description) operation.description = spec.description;
  if (spec.security) operation.security = spec.security;
  if (spec.pathParams || spec.headerParams) {
    operation.parameters = [
      ...(spec.pathParams ?? []).map((p) => ({
        name: p.name,
        in: 'path',
        required: true,
        description: p.description,
        schema: { type: 'string' },
        examples: Object.fromEntries(
          spec.examples
            .filter((e) => e.params?.[p.name] !== undefined)
            .map((e) => [e.name, { value: e.params![p.name] }]),
        ),
      })),
      ...(spec.headerParams ?? []).map((h) => ({
        name: h.name,
        in: 'header',
        required: false,
        description: h.description,
        schema: h.schema,
        examples: Object.fromEntries(
          spec.examples
            .filter((e) => e.headers?.[h.name] !== undefined)
            .map((e) => [e.name, { value: e.headers![h.name] }]),
        ),
      })),
    ];
  }
  if (spec.requestSchema) {
    const examples = Object.fromEntries(
      spec.examples.filter((e) => e.body !== undefined).map((e) => [e.name, { summary: e.summary, value: e.body }]),
    );
    operation.requestBody = {
      required: true,
      content: { 'application/json': { schema: schemaRef(spec.requestSchema), examples } },
    };
  }
  operation.responses = responses;
  return operation;
}
