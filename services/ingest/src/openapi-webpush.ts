// OpenAPI examples of Web Push (browsers): the token is the PushSubscription as JSON. The sandbox's Web Push
// emulator knows this subscription (fixed keys); the examples name Mozilla's push service, the replay test
// points the endpoint at the emulator.
import type { ApiExample } from './openapi-operation.js';

/** The sandbox's Sylk app (openapi-v1.ts imports this module, so the constant cannot come from there). */
const SYLK_APP = 'com.pushwire.sandbox.sylk.dev';
export const WEB_PUSH_ORIGIN = 'https://updates.push.services.mozilla.com';
const KEYS = {
  p256dh: 'BKzpv-GeZ4WMi4XvfCH1WzKmMoZ1m0vkKb1EQMVd8WHi_1Fszy2VKVsWzfPC8nI5zwkwUEWjHcvs1wSXSRL1x5E',
  auth: 'nm7uxBtlBia_7yfr5-rcVg',
};
const subscription = (path: string) => JSON.stringify({ endpoint: `${WEB_PUSH_ORIGIN}/wpush/v2/${path}`, keys: KEYS });
export const WEB_TOKEN = subscription('sandbox-subscription-1');
const GONE_TOKEN = subscription('status-410-gone');

const webResult = (callId: string, token: string, extra: Record<string, unknown> = {}) => ({
  body: { status_code: 201, content: '' },
  code: 200,
  reason: '',
  url: JSON.parse(token).endpoint as string,
  platform: 'webpush',
  call_id: callId,
  token,
  ...extra,
});

const webCall = {
  'app-id': SYLK_APP,
  platform: 'web',
  token: WEB_TOKEN,
  event: 'incoming_session',
  'call-id': 'call-web-1',
  from: 'alice@example.com',
  'from-display-name': 'Alice',
  to: 'bob@example.com',
  'media-type': 'audio',
  silent: true,
};

export const WEB_PUSH_V1_EXAMPLES: ApiExample[] = [
  {
    name: 'call-web',
    summary: 'A call wake-up to a browser (Web Push): urgent, TTL from the call deadline, one Topic per call',
    body: webCall,
    status: 200,
    answer: { code: 200, description: 'push notification response', data: webResult('call-web-1', WEB_TOKEN) },
  },
  {
    name: 'web-subscription-gone',
    summary: 'The push service answers 410 (the browser unsubscribed): 410, the caller purges it',
    body: { ...webCall, token: GONE_TOKEN, 'call-id': 'call-web-2' },
    status: 410,
    answer: {
      code: 410,
      description: 'push notification response',
      data: webResult('call-web-2', GONE_TOKEN, {
        body: { status_code: 410, content: { code: 410, error: 'status 410 by endpoint convention' } },
        code: 410,
        reason: '410 Gone: the subscription is gone (unsubscribed or expired)',
      }),
    },
  },
  {
    name: 'web-bad-subscription',
    summary: 'A subscription whose endpoint is not https (nor on an allowed push service): 400',
    body: {
      ...webCall,
      token: JSON.stringify({ endpoint: 'http://192.168.1.1/admin', keys: KEYS }),
      'call-id': 'call-web-3',
    },
    status: 400,
    answer: {
      code: 400,
      description: 'invalid Web Push subscription: endpoint must be https, got http: token',
      data: '',
    },
  },
];

export const WEB_PUSH_ADD_EXAMPLES: ApiExample[] = [
  {
    name: 'add-web',
    summary: 'Register a browser (Web Push): the PushSubscription as JSON',
    params: { account: 'bob@example.com' },
    body: { 'app-id': SYLK_APP, platform: 'web', 'device-id': 'browser-1', token: WEB_TOKEN, 'user-agent': 'Sylk Web' },
    status: 200,
    answer: {
      'app-id': SYLK_APP,
      platform: 'webpush',
      token: WEB_TOKEN,
      'device-id': 'browser-1',
      silent: true,
      'user-agent': 'Sylk Web',
    },
  },
  {
    name: 'add-web-off-list',
    summary: 'A subscription endpoint off the allowed push services is refused (no SSRF)',
    params: { account: 'bob@example.com' },
    body: {
      'app-id': SYLK_APP,
      platform: 'web',
      'device-id': 'browser-2',
      token: JSON.stringify({ endpoint: 'https://169.254.169.254/latest', keys: KEYS }),
    },
    status: 400,
    answer: {
      code: 400,
      description:
        'invalid Web Push subscription: endpoint host 169.254.169.254 is not an allowed push service (webpush_allowed_hosts): token',
      data: '',
    },
  },
];
