// `pushwire push`: Sylk's v1 client `sylk-pushclient` (what OpenSIPS runs), with its options, request body,
// output lines and exit codes, so a script written for it works unchanged.
import { helpText, parseOptions, usageOutcome, type OptionSpec } from './push-argparse.js';
import {
  clientMediaType,
  pyEqualsOne,
  PyKeyError,
  pyPath,
  sendJson,
  stripOuterQuotes,
  stripQuotes,
} from './push-http.js';

type Out = (line: string) => void;

const PROG = 'pushwire push';
const USAGE = `usage: ${PROG} [options]`;

export const PUSH_OPTIONS: readonly OptionSpec[] = [
  { flag: '--url', dest: 'url', required: true, help: 'Push URL, e.g. http://localhost:8400/push' },
  { flag: '--platform', dest: 'platform', required: true, help: 'Platform' },
  { flag: '--appid', dest: 'appid', required: true, help: 'App ID' },
  {
    flag: '--token',
    dest: 'device_token',
    required: true,
    help: 'Device token ("voip-background": the second half for cancel)',
  },
  { flag: '--deviceid', dest: 'device_id', required: true, help: 'Device Id' },
  { flag: '--callid', dest: 'call_id', required: true, help: 'Call ID' },
  { flag: '--event', dest: 'event', default: 'incoming_session', help: 'Event' },
  { flag: '--from', dest: 'from_uri', required: true, help: 'From' },
  { flag: '--from_name', dest: 'from_name', help: 'From name' },
  { flag: '--to', dest: 'to_uri', required: true, help: 'To' },
  { flag: '--silent', dest: 'silent', default: '1', help: 'Silent' },
  { flag: '--mediatype', dest: 'media_type', default: 'audio', help: 'Audio, Video or Message' },
  {
    flag: '--idempotency-key',
    dest: 'idempotency_key',
    help: 'Idempotency-Key header (Pushwire): a repeat with the same key gets the first answer, no second push',
  },
];

/** The JSON body sylk-pushclient sends, in its key order. */
export function v1PushBody(o: Record<string, string | number | null>): {
  body: Record<string, unknown>;
  token: string;
} {
  const str = (key: string): string => String(o[key] ?? '');
  const fromUri = stripOuterQuotes(str('from_uri'));
  const fromName = o.from_name ? stripQuotes(str('from_name')) : null;
  // A token with exactly one '-' is "voip-background": a cancel goes to the second half (when it is not empty).
  const parts = str('device_token').split('-');
  const [token1, token2] = parts.length === 2 ? [parts[0]!, parts[1]!] : [str('device_token'), null];
  const token = token2 && o.event === 'cancel' ? token2 : token1;
  return {
    token,
    body: {
      platform: o.platform,
      'app-id': o.appid,
      token,
      'media-type': clientMediaType(str('media_type')),
      event: o.event,
      from: fromUri,
      'from-display-name': fromName || fromUri,
      to: o.to_uri,
      'device-id': o.device_id,
      'call-id': o.call_id,
      silent: o.silent,
    },
  };
}

export async function pushCommand(
  argv: readonly string[],
  out: Out = (l) => process.stdout.write(`${l}\n`),
  err: Out = (l) => process.stderr.write(l),
  apiKey?: string,
): Promise<number> {
  let options: Record<string, string | number | null>;
  try {
    ({ values: options } = parseOptions(argv, PUSH_OPTIONS, {
      prog: PROG,
      usage: USAGE,
      help: helpText(USAGE, 'Send a push request (Sylk API v1), as sylk-pushclient.', PUSH_OPTIONS),
    }));
  } catch (error) {
    return usageOutcome(error, out, err);
  }
  const { body, token } = v1PushBody(options);
  const head = `${options.event} push for ${options.call_id} to ${options.url}`;
  try {
    const idempotencyKey =
      options.idempotency_key === null || options.idempotency_key === undefined
        ? undefined
        : String(options.idempotency_key);
    const answer = await sendJson('POST', String(options.url), body, { apiKey, idempotencyKey });
    if (answer.status !== 200) {
      out(`${head} failed: ${answer.status}: ${answer.text}`);
      return 1;
    }
    out(`${head} response 200 OK: ${answer.text}`);
    const json = JSON.parse(answer.text) as unknown;
    try {
      // A legacy FCM answer naming a dead token (sylk-pushclient's only inspection of the answer).
      const content = pyPath(json, 'data', 'body', '_content');
      if (pyEqualsOne(pyPath(content, 'failure')) && pyPath(content, 'results', 0, 'error') === 'NotRegistered')
        out(`Token ${token} must be purged`);
    } catch (error) {
      if (!(error instanceof PyKeyError)) throw error;
    }
    return 0;
  } catch {
    // sylk-pushclient words every other failure (unreachable, timeout, an answer it can't read) this way.
    out(`${head} failed: connection error`);
    return 1;
  }
}
