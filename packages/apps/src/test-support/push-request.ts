// Test fixture: a validated PushRequest with every optional field absent, as ingest produces it.
import type { PushRequest } from '@pushwire/core';

export function pushRequest(fields: Partial<PushRequest> & Pick<PushRequest, 'appId' | 'platform' | 'event'>): PushRequest {
  return {
    token: 'tok-1',
    callId: 'a84b4c76e66710@pc33.example.com',
    from: 'alice@example.com',
    to: 'bob@example.com',
    deviceId: null,
    fromDisplayName: null,
    mediaType: null,
    silent: true,
    reason: null,
    badge: 1,
    filename: null,
    filetype: null,
    account: null,
    content: null,
    contentType: null,
    ...fields,
  };
}
