// A validated request in the field names Sylk's remote log uses (`WakeUpRequest.__dict__`, Python names).
import type { PushRequest } from '@pushwire/core';

/**
 * Keys in Sylk's declaration order. `platform` is the normalised value (`apple`/`firebase`): the
 * client's alias (`ios`, `fcm`) is not kept past validation.
 */
export function toIncomingBody(request: PushRequest): Record<string, unknown> {
  return {
    app_id: request.appId,
    platform: request.platform,
    event: request.event,
    token: request.token,
    device_id: request.deviceId,
    call_id: request.callId,
    sip_from: request.from,
    from_display_name: request.fromDisplayName,
    sip_to: request.to,
    media_type: request.mediaType,
    silent: request.silent,
    reason: request.reason,
    badge: request.badge,
    filename: request.filename,
    filetype: request.filetype,
    account: request.account,
    content: request.content,
    content_type: request.contentType,
  };
}
