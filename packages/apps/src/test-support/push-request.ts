// Test fixture: a validated PushRequest with every optional field absent, as ingest produces it.
import { withSylkDefaults, type PushRequest } from '@pushwire/core';

export function pushRequest(
  fields: Partial<PushRequest> & Pick<PushRequest, 'appId' | 'platform' | 'event'>,
): PushRequest {
  return withSylkDefaults({
    token: 'tok-1',
    callId: 'a84b4c76e66710@pc33.example.com',
    from: 'alice@example.com',
    to: 'bob@example.com',
    ...fields,
  });
}
