// The FCM v1 `SendMessageRequest` schema (fields by proto name), from Google's REST reference:
// https://firebase.google.com/docs/reference/fcm/rest/v1/projects.messages
// Proto3 JSON accepts each field under its proto name or its lowerCamelCase JSON name.

export type FieldSpec =
  | { kind: 'string' | 'bool' | 'int' | 'duration' | 'struct' | 'strings' | 'any' }
  | { kind: 'enum'; type: string; values: readonly string[] }
  /** map<string, string> */
  | { kind: 'map'; type: string }
  | { kind: 'message'; schema: MessageSchema };

export interface MessageSchema {
  /** Fully qualified proto type, as Google names it in error messages. */
  type: string;
  fields: Readonly<Record<string, FieldSpec>>;
}

const str = { kind: 'string' } as const;
const bool = { kind: 'bool' } as const;
const strings = { kind: 'strings' } as const;
const map = (type: string): FieldSpec => ({ kind: 'map', type });
const msg = (schema: MessageSchema): FieldSpec => ({ kind: 'message', schema });
const enumOf = (type: string, values: readonly string[]): FieldSpec => ({ kind: 'enum', type, values });

const FCM = 'google.firebase.fcm.v1';

const notification: MessageSchema = { type: `${FCM}.Notification`, fields: { title: str, body: str, image: str } };

const androidNotification: MessageSchema = {
  type: `${FCM}.AndroidNotification`,
  fields: {
    title: str,
    body: str,
    icon: str,
    color: str,
    sound: str,
    tag: str,
    click_action: str,
    body_loc_key: str,
    body_loc_args: strings,
    title_loc_key: str,
    title_loc_args: strings,
    channel_id: str,
    ticker: str,
    sticky: bool,
    event_time: str,
    local_only: bool,
    notification_priority: enumOf(`${FCM}.AndroidNotification.NotificationPriority`, [
      'PRIORITY_UNSPECIFIED',
      'PRIORITY_MIN',
      'PRIORITY_LOW',
      'PRIORITY_DEFAULT',
      'PRIORITY_HIGH',
      'PRIORITY_MAX',
    ]),
    default_sound: bool,
    default_vibrate_timings: bool,
    default_light_settings: bool,
    vibrate_timings: strings,
    visibility: enumOf(`${FCM}.AndroidNotification.Visibility`, [
      'VISIBILITY_UNSPECIFIED',
      'PRIVATE',
      'PUBLIC',
      'SECRET',
    ]),
    notification_count: { kind: 'int' },
    light_settings: { kind: 'any' },
    image: str,
    bypass_proxy_notification: bool,
    proxy: enumOf(`${FCM}.AndroidNotification.Proxy`, ['PROXY_UNSPECIFIED', 'ALLOW', 'DENY', 'IF_PRIORITY_LOWERED']),
  },
};

const android: MessageSchema = {
  type: `${FCM}.AndroidConfig`,
  fields: {
    collapse_key: str,
    // FCM takes the enum names and, as its docs' examples show, their lower-case forms.
    priority: enumOf(`${FCM}.AndroidMessagePriority`, ['NORMAL', 'HIGH', 'normal', 'high']),
    ttl: { kind: 'duration' },
    restricted_package_name: str,
    data: map(`${FCM}.AndroidConfig.DataEntry`),
    notification: msg(androidNotification),
    fcm_options: msg({ type: `${FCM}.AndroidFcmOptions`, fields: { analytics_label: str } }),
    direct_boot_ok: bool,
    bandwidth_constrained_ok: bool,
    restricted_satellite_ok: bool,
  },
};

const apns: MessageSchema = {
  type: `${FCM}.ApnsConfig`,
  fields: {
    headers: map(`${FCM}.ApnsConfig.HeadersEntry`),
    payload: { kind: 'struct' },
    fcm_options: msg({ type: `${FCM}.ApnsFcmOptions`, fields: { analytics_label: str, image: str } }),
    live_activity_token: str,
  },
};

const webpush: MessageSchema = {
  type: `${FCM}.WebpushConfig`,
  fields: {
    headers: map(`${FCM}.WebpushConfig.HeadersEntry`),
    data: map(`${FCM}.WebpushConfig.DataEntry`),
    notification: { kind: 'struct' },
    fcm_options: msg({ type: `${FCM}.WebpushFcmOptions`, fields: { link: str, analytics_label: str } }),
  },
};

export const MESSAGE_SCHEMA: MessageSchema = {
  type: `${FCM}.Message`,
  fields: {
    name: str,
    data: map(`${FCM}.Message.DataEntry`),
    notification: msg(notification),
    android: msg(android),
    webpush: msg(webpush),
    apns: msg(apns),
    fcm_options: msg({ type: `${FCM}.FcmOptions`, fields: { analytics_label: str } }),
    token: str,
    topic: str,
    condition: str,
  },
};

export const SEND_REQUEST_SCHEMA: MessageSchema = {
  type: `${FCM}.SendMessageRequest`,
  fields: { validate_only: bool, message: msg(MESSAGE_SCHEMA) },
};

/** The `target` oneof of Message: exactly one must be given. */
export const TARGET_FIELDS = ['token', 'topic', 'condition'] as const;

function camel(protoName: string): string {
  return protoName.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** The proto name of a JSON key (proto name or lowerCamelCase), or null when the schema has no such field. */
export function protoNameOf(schema: MessageSchema, key: string): string | null {
  if (key in schema.fields) return key;
  for (const name of Object.keys(schema.fields)) if (camel(name) === key) return name;
  return null;
}
