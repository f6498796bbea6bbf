// Sylk's session-id: md5(call-id) shaped like a UUID (utils.callid_to_uuid; no version bits are set).
import { createHash } from 'node:crypto';

export function sessionIdFromCallId(callId: string): string {
  const h = createHash('md5').update(callId, 'utf8').digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
