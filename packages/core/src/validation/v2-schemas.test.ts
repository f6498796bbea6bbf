// The v2 request schemas are the one declaration of the v2 bodies: the validators' field tables are read off them,
// and these tables are Sylk's (order and pydantic kinds of AddRequest, RemoveRequest and PushRequest).
import { describe, expect, it } from 'vitest';
import { fieldTableOf } from './field-table.js';
import { AddTokenRequestSchema, RemoveTokenRequestSchema, V2PushRequestSchema } from './v2-schemas.js';
import { validateRemoveTokenRequest, validateV2PushFields } from './v2-requests.js';

const table = (schema: Parameters<typeof fieldTableOf>[0]) => fieldTableOf(schema).map((f) => `${f.key}:${f.kind}`);

describe('v2 request schemas', () => {
  it("give Sylk's field tables", () => {
    expect(table(AddTokenRequestSchema)).toEqual([
      'app-id:required-str',
      'platform:required-str',
      'token:required-str',
      'device-id:required-str',
      'silent:bool-default-true',
      'user-agent:optional-str',
    ]);
    expect(table(RemoveTokenRequestSchema)).toEqual(['app-id:required-str', 'device-id:optional-str']);
    expect(table(V2PushRequestSchema)).toEqual([
      'event:optional-str',
      'call-id:required-str',
      'from:required-str',
      'from-display-name:optional-str',
      'to:required-str',
      'media-type:optional-str',
      'reason:optional-str',
      'badge:int-default-1',
      'filename:optional-str',
      'filetype:optional-str',
      'account:optional-str',
      'content:optional-str',
      'content-type:optional-str',
    ]);
  });

  it('drive the validators: the first missing field in schema order is the one reported', () => {
    expect(() => validateV2PushFields({})).toThrow(expect.objectContaining({ field: 'call-id' }));
    expect(() => validateV2PushFields({ 'call-id': 'c', from: 'a' })).toThrow(expect.objectContaining({ field: 'to' }));
    expect(() => validateRemoveTokenRequest({})).toThrow("Field 'app-id' required");
  });
});
