// Deeply nested JSON is Sylk's parse error (400), never a stack overflow (500) further down.
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_JSON_NESTING, nestingDepth } from './read-json-body.js';
import { createTestIngest } from './test-support/ingest-app.js';

const ingest = await createTestIngest({ maxBodyBytes: 65_536 });
afterAll(() => ingest.close());

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const push = (platform: string) =>
  `{"app-id":"com.example.sylk","platform":${platform},"token":"t","event":"message","call-id":"c","from":"a","to":"b","silent":true}`;

async function post(body: string) {
  const res = await ingest.app.request('/push', {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json' },
  });
  return { status: res.status, json: (await res.json()) as unknown };
}

describe('JSON nesting', () => {
  it('measures nesting outside strings only', () => {
    expect(nestingDepth('{"a":[1,{"b":"[[[{{"}],"c":"\\\\"}')).toBe(3);
    expect(nestingDepth('"[[["')).toBe(0);
    expect(nestingDepth(nested(7))).toBe(7);
  });

  it('answers a value nested past the limit as a parse error, wherever it sits', async () => {
    const parseError = { status: 400, json: { detail: 'There was an error parsing the body' } };
    expect(await post(nested(MAX_JSON_NESTING + 1))).toEqual(parseError);
    // A deep `platform` once reached the Python-style repr of the validation message and overflowed the stack.
    expect(await post(push(nested(20_000)))).toEqual(parseError);
  });

  it('still validates a value nested up to the limit, as Sylk words it', async () => {
    // The body object is one level, its platform the rest.
    const res = await post(push(nested(MAX_JSON_NESTING - 1)));
    expect(res).toMatchObject({
      status: 404,
      json: {
        code: 404,
        description: `'${'['.repeat(MAX_JSON_NESTING - 1)}${']'.repeat(MAX_JSON_NESTING - 1)}' platform is not configured`,
      },
    });
  });
});
