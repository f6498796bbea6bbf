// The one declaration of a v1 `/push` body: the validator's field table is read off it (wake-up-fields.ts) and
// the OpenAPI document is generated from it (`z.toJSONSchema`).
import { z } from 'zod';
import { EVENTS, MEDIA_TYPES } from '../events.js';
import { PLATFORM_NAMES } from '../platform.js';

const STR_NOTE = 'Numbers and booleans are accepted and stringified as Python does (true → "True").';

/**
 * Sylk's `WakeUpRequest` with its hyphenated keys, in Sylk's field order (the order of its error messages). The
 * field table of {@link validatePushRequest} comes from it; the validator also takes pydantic v1's lenient forms
 * (noted in each description) and answers Sylk's exact messages. Generate the request schema with `{ io: 'input' }`.
 */
export const WakeUpRequestSchema = z
  .looseObject({
    'app-id': z.string().min(1).describe('Application id (bundle id), configured together with the platform.'),
    platform: z
      .enum(PLATFORM_NAMES)
      .describe(
        'Push platform, case-sensitive: ios/apns mean apple, android/fcm mean firebase, hms means huawei, web means webpush (token: the PushSubscription as JSON).',
      ),
    event: z
      .enum(EVENTS)
      .nullable()
      .optional()
      .describe(
        'Required (not null) for sylk apps. Linphone apps accept only incoming_session, the default when omitted.',
      ),
    token: z.string().describe(`Device push token, not checked for format. ${STR_NOTE}`),
    'device-id': z.string().nullable().optional().describe(`Device id, used in logs. ${STR_NOTE}`),
    'call-id': z.string().describe(`SIP Call-ID; the payload's session-id is derived from it. ${STR_NOTE}`),
    from: z.string().describe(`Caller SIP URI. ${STR_NOTE}`),
    'from-display-name': z.string().nullable().optional().describe(`Caller display name. ${STR_NOTE}`),
    to: z.string().describe(`Callee SIP URI. ${STR_NOTE}`),
    'media-type': z
      .enum(MEDIA_TYPES)
      .nullable()
      .optional()
      .describe('Required unless event is cancel; a cancel accepts any string and ignores it.'),
    silent: z
      .boolean()
      .default(true)
      .describe(
        'Required for sylk apps; read by Linphone payloads. Also accepts 0/1 and, in any case, ' +
          '"1"/"0", "true"/"false", "yes"/"no", "on"/"off", "t"/"f", "y"/"n". Not null.',
      ),
    reason: z.string().nullable().optional().describe(`Cancel reason. ${STR_NOTE}`),
    badge: z
      .int()
      .default(1)
      .describe(
        'Badge count of Sylk iOS message and transfer pushes. Also accepts a decimal string; floats truncate. Not null.',
      ),
    filename: z.string().nullable().optional().describe(`File name of a transfer event. ${STR_NOTE}`),
    filetype: z.string().nullable().optional().describe(`File type of a transfer event. ${STR_NOTE}`),
    account: z.string().nullable().optional().describe(`Conference account (incoming_conference_request). ${STR_NOTE}`),
    content: z.string().nullable().optional().describe(`Message body (message event). ${STR_NOTE}`),
    'content-type': z.string().nullable().optional().describe(`Content type of the message body. ${STR_NOTE}`),
  })
  .meta({
    id: 'WakeUpRequest',
    title: 'WakeUpRequest',
    description: 'Body of POST /push (API v1). Unknown keys are ignored; `from_display_name` is not an alias.',
  });

export type WakeUpRequestBody = z.input<typeof WakeUpRequestSchema>;
