// The one declaration of each v2 request body: the validators' field tables are read off these (v2-requests.ts)
// and the OpenAPI document is generated from them.
import { z } from 'zod';
import { EVENTS, MEDIA_TYPES } from '../events.js';
import { PLATFORM_NAMES } from '../platform.js';

const STR_NOTE = 'Numbers and booleans are accepted and stringified as Python does.';
const optionalStr = (description: string) => z.string().nullable().optional().describe(`${description} ${STR_NOTE}`);

export const AddTokenRequestSchema = z
  .looseObject({
    'app-id': z.string().min(1).describe('Application id, configured together with the platform.'),
    platform: z
      .enum(PLATFORM_NAMES)
      .describe(
        'Push platform, case-sensitive: ios/apns mean apple, android/fcm mean firebase, hms means huawei, web means webpush.',
      ),
    token: z
      .string()
      .describe(
        "Device token. An Apple token `voip-background` is stored as two tokens, split at the first `-`. Web Push: the browser's PushSubscription as JSON (`endpoint` on an allowed push service, `keys.p256dh`, `keys.auth`).",
      ),
    'device-id': z.string().describe('Device id; `<urn:uuid:…>` is stored without `<`, `urn:uuid:` and `>`.'),
    silent: z
      .boolean()
      .default(true)
      .describe('Also accepts 0/1 and pydantic\'s boolean strings ("1", "yes", "off", …).'),
    'user-agent': optionalStr('Client user agent, stored as given.'),
  })
  .meta({ id: 'AddTokenRequest', description: "Body of POST /v2/tokens/{account} (Sylk's AddRequest)." });

export const RemoveTokenRequestSchema = z
  .looseObject({
    'app-id': z.string().min(1).describe('Application id of the device to forget.'),
    'device-id': optionalStr('Device id as registered (or as Sylk stored it).'),
  })
  .meta({ id: 'RemoveTokenRequest', description: "Body of DELETE /v2/tokens/{account} (Sylk's RemoveRequest)." });

export const V2PushRequestSchema = z
  .looseObject({
    event: z.enum(EVENTS).nullable().optional().describe('Required (not null) when a device belongs to a sylk app.'),
    'call-id': z.string().describe(`SIP Call-ID. ${STR_NOTE}`),
    from: z.string().describe(`Caller SIP URI. ${STR_NOTE}`),
    'from-display-name': optionalStr('Caller display name.'),
    to: z.string().describe(`Callee SIP URI. ${STR_NOTE}`),
    'media-type': z
      .enum(MEDIA_TYPES)
      .nullable()
      .optional()
      .describe('Required unless event is cancel (checked per device, as v1).'),
    reason: optionalStr('Cancel reason.'),
    badge: z.int().default(1).describe('Badge of Sylk iOS message and transfer pushes; also a decimal string.'),
    filename: optionalStr('File name of a transfer event.'),
    filetype: optionalStr('File type of a transfer event.'),
    account: optionalStr('Conference account (incoming_conference_request).'),
    content: optionalStr('Message body (message event).'),
    'content-type': optionalStr('Content type of the message body.'),
  })
  .meta({
    id: 'V2PushRequest',
    description:
      "Body of POST /v2/tokens/{account}/push[/{device}] (Sylk's PushRequest): merged with each stored device " +
      '(app-id, platform, token, device-id, silent), then validated as a v1 WakeUpRequest.',
  });
