// APNs headers of a Linphone push (Sylk's AppleLinphoneHeaders): always a VoIP push.
import { apnsBaseTopic } from '../apns-topic.js';

/** Sylk's literal for Linphone, an epoch second in 1970: APNs delivers now or never. */
const LINPHONE_APNS_EXPIRATION = '10';

/** Sylk: append `.voip` unless `'.voip' in topic`, a substring test (`com.x.voipapp` keeps its topic). */
export function linphoneVoipTopic(appId: string): string {
  const base = apnsBaseTopic(appId);
  return base.includes('.voip') ? base : `${base}.voip`;
}

/** Headers without `authorization` (the APNs provider adds it in token mode). */
export function linphoneAppleHeaders(appId: string): Record<string, string> {
  return {
    'apns-push-type': 'voip',
    'apns-expiration': LINPHONE_APNS_EXPIRATION,
    'apns-priority': '10',
    'apns-topic': linphoneVoipTopic(appId),
  };
}
