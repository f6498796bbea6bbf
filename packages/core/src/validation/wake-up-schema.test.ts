// The documented schema stays in step with the validator's field table and with what the validator accepts.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SYLK_RULES } from './app-type-rules.js';
import { validatePushRequest } from './validate-push-request.js';
import { WAKE_UP_FIELDS } from './wake-up-fields.js';
import { WakeUpRequestSchema } from './wake-up-schema.js';

interface ObjectSchema {
  properties: Record<string, { description?: string; default?: unknown }>;
  required: string[];
  additionalProperties?: unknown;
}

function requestSchema(): ObjectSchema {
  const doc = z.toJSONSchema(WakeUpRequestSchema, { io: 'input' }) as { $defs: Record<string, ObjectSchema> };
  const schema = doc.$defs.WakeUpRequest;
  if (schema === undefined) throw new Error('WakeUpRequest is not in $defs');
  return schema;
}

describe('WakeUpRequestSchema', () => {
  it("is the source of the validator's field table: Sylk's field order and pydantic kinds", () => {
    // Written out from Sylk's WakeUpRequest model: the order decides which error a body with several gets.
    expect(WAKE_UP_FIELDS.map((f) => `${f.key}:${f.kind}`)).toEqual([
      'app-id:required-str',
      'platform:required-str',
      'event:optional-str',
      'token:required-str',
      'device-id:optional-str',
      'call-id:required-str',
      'from:required-str',
      'from-display-name:optional-str',
      'to:required-str',
      'media-type:optional-str',
      'silent:bool-default-true',
      'reason:optional-str',
      'badge:int-default-1',
      'filename:optional-str',
      'filetype:optional-str',
      'account:optional-str',
      'content:optional-str',
      'content-type:optional-str',
    ]);
  });

  it('lists every field of the validator, in Sylk order, each described', () => {
    const schema = requestSchema();
    expect(Object.keys(schema.properties)).toEqual(WAKE_UP_FIELDS.map((f) => f.key));
    for (const [key, property] of Object.entries(schema.properties)) {
      expect(property.description, key).toMatch(/\w/);
    }
  });

  it('requires the required-str fields and documents the two non-null defaults', () => {
    const schema = requestSchema();
    const required = WAKE_UP_FIELDS.filter((f) => f.kind === 'required-str').map((f) => f.key);
    expect([...schema.required].sort()).toEqual([...required].sort());
    expect(schema.properties.silent?.default).toBe(true);
    expect(schema.properties.badge?.default).toBe(1);
    expect(schema.additionalProperties).not.toBe(false);
  });

  it('accepts a canonical body that the validator accepts too', () => {
    const body = {
      'app-id': 'com.sylk',
      platform: 'ios',
      event: 'message',
      token: 't',
      'call-id': 'c',
      from: 'a',
      to: 'b',
      'media-type': 'sms',
      silent: false,
      badge: 2,
      content: 'hi',
      unknown: 1,
    };
    expect(WakeUpRequestSchema.safeParse(body).success).toBe(true);
    expect(validatePushRequest(body, () => SYLK_RULES)).toMatchObject({ event: 'message', badge: 2, silent: false });
  });

  it('rejects what the validator rejects for its canonical types', () => {
    const base = { 'app-id': 'com.sylk', platform: 'ios', token: 't', 'call-id': 'c', from: 'a', to: 'b' };
    expect(WakeUpRequestSchema.safeParse({ ...base, platform: 'IOS' }).success).toBe(false);
    expect(WakeUpRequestSchema.safeParse({ ...base, event: 'incoming_conference' }).success).toBe(false);
    expect(WakeUpRequestSchema.safeParse({ ...base, 'media-type': 'text' }).success).toBe(false);
    expect(WakeUpRequestSchema.safeParse({ ...base, badge: null }).success).toBe(false);
    expect(WakeUpRequestSchema.safeParse({ ...base, 'app-id': undefined }).success).toBe(false);
  });
});
