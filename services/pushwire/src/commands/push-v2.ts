// `pushwire push-v2`: Sylk's v2 client `sylk-pushclient-v2` (register, remove and push to an account's devices),
// with its options, request bodies, output lines and exit codes.
import {
  ArgparseError,
  helpText,
  parseOptions,
  usageOutcome,
  type OptionSpec,
  type ParsedOptions,
} from './push-argparse.js';
import {
  clientMediaType,
  pyEqualsOne,
  PyKeyError,
  pyIter,
  pyPath,
  sendJson,
  stripOuterQuotes,
  stripQuotes,
} from './push-http.js';

type Out = (line: string) => void;
type Action = 'push' | 'add' | 'remove';

const PROG = 'pushwire push-v2';
const USAGE = `usage: ${PROG} [-h] [--url URL] --account ACCOUNT {push,add,remove} ...`;

const TOP: readonly OptionSpec[] = [
  { flag: '--url', dest: 'url', default: 'http://localhost:8400', help: 'Base push URL' },
  { flag: '--account', dest: 'account', required: true, help: 'Account' },
];

const SUBCOMMANDS: Readonly<Record<Action, { help: string; options: readonly OptionSpec[] }>> = {
  push: {
    help: 'Send push request',
    options: [
      { flag: '--mediatype', dest: 'media_type', default: 'audio', help: 'Audio, Video or Message' },
      { flag: '--callid', dest: 'call_id', required: true, help: 'Call ID' },
      { flag: '--event', dest: 'event', default: 'incoming_session', help: 'Event' },
      { flag: '--from', dest: 'from_uri', required: true, help: 'From' },
      { flag: '--from_name', dest: 'from_name', help: 'From name' },
      { flag: '--to', dest: 'to_uri', required: true, help: 'To' },
      { flag: '--reason', dest: 'reason', help: 'Reason' },
      // A number by default, the typed string when given (argparse has no type here); the server coerces both.
      { flag: '--badge', dest: 'badge', default: 1, help: 'Badge to display' },
      { flag: '--deviceid', dest: 'device_id', help: 'Device Id/Sip instance' },
      { flag: '--filename', dest: 'filename', help: 'Filename' },
      { flag: '--filetype', dest: 'filetype', help: 'Filetype' },
      {
        flag: '--idempotency-key',
        dest: 'idempotency_key',
        help: 'Idempotency-Key header (Pushwire): a repeat with the same key gets the first answer, no second push',
      },
    ],
  },
  add: {
    help: 'Add a push token',
    options: [
      { flag: '--platform', dest: 'platform', help: 'Platform' },
      { flag: '--appid', dest: 'appid', required: true, help: 'App ID' },
      { flag: '--token', dest: 'device_token', required: true, help: 'Device token' },
      { flag: '--deviceid', dest: 'device_id', required: true, help: 'Device Id' },
      { flag: '--silent', dest: 'silent', default: '1', help: 'Silent' },
      // Sylk's default is the string "None", not null: sent as such.
      { flag: '--user_agent', dest: 'user_agent', default: 'None', help: 'User Agent' },
    ],
  },
  remove: {
    help: 'Remove a push token',
    options: [
      { flag: '--appid', dest: 'appid', required: true, help: 'App ID' },
      { flag: '--deviceid', dest: 'device_id', required: true, help: 'Device Id' },
    ],
  },
};

const isAction = (value: string | undefined): value is Action =>
  value === 'push' || value === 'add' || value === 'remove';

/** The request sylk-pushclient-v2 makes for one action: method, URL and JSON body (in its key order). */
export function v2Request(
  action: Action,
  top: ParsedOptions,
  o: ParsedOptions,
): { method: 'POST' | 'DELETE'; url: string; body: Record<string, unknown> } {
  const base = String(top.url).endsWith('/') ? String(top.url).slice(0, -1) : String(top.url);
  const url = `${base}/v2/tokens/${top.account}`;
  if (action === 'add') {
    return {
      method: 'POST',
      url,
      body: {
        platform: o.platform,
        'app-id': o.appid,
        token: o.device_token,
        'device-id': o.device_id,
        silent: o.silent,
        'user-agent': o.user_agent,
      },
    };
  }
  if (action === 'remove') return { method: 'DELETE', url, body: { 'app-id': o.appid, 'device-id': o.device_id } };
  const fromUri = stripOuterQuotes(String(o.from_uri));
  const fromName = o.from_name ? stripQuotes(String(o.from_name)) : null;
  return {
    method: 'POST',
    url: o.device_id === null ? `${url}/push` : `${url}/push/${o.device_id}`,
    body: {
      'media-type': clientMediaType(String(o.media_type)),
      event: o.event,
      from: fromUri,
      'from-display-name': fromName || fromUri,
      to: o.to_uri,
      'call-id': o.call_id,
      badge: o.badge,
      reason: o.reason,
      filename: o.filename,
      filetype: o.filetype,
    },
  };
}

function parse(argv: readonly string[]): { action: Action; top: ParsedOptions; options: ParsedOptions } {
  const actionsHelp = Object.entries(SUBCOMMANDS)
    .map(([name, s]) => `    ${name.padEnd(8)} ${s.help}`)
    .join('\n');
  const { values: top, rest } = parseOptions(argv, TOP, {
    prog: PROG,
    usage: USAGE,
    help: `${helpText(USAGE, 'Register, remove or push to the devices of an account (Sylk API v2), as sylk-pushclient-v2.', TOP)}\n\nactions:\n${actionsHelp}`,
    stopAtPositional: true,
  });
  const [action, ...subArgs] = rest;
  if (!isAction(action)) {
    const what =
      action === undefined
        ? 'the following arguments are required: action'
        : `argument action: invalid choice: '${action}' (choose from 'push', 'add', 'remove')`;
    throw new ArgparseError(USAGE, PROG, what);
  }
  const sub = SUBCOMMANDS[action];
  const subProg = `${PROG} ${action}`;
  const subUsage = `usage: ${subProg} [options]`;
  const { values: options } = parseOptions(subArgs, sub.options, {
    prog: subProg,
    usage: subUsage,
    help: helpText(subUsage, sub.help, sub.options),
  });
  return { action, top, options };
}

export async function pushV2Command(
  argv: readonly string[],
  out: Out = (l) => process.stdout.write(`${l}\n`),
  err: Out = (l) => process.stderr.write(l),
  apiKey?: string,
): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    return usageOutcome(error, out, err);
  }
  const { method, url, body } = v2Request(parsed.action, parsed.top, parsed.options);
  const action = parsed.action[0]!.toUpperCase() + parsed.action.slice(1);
  try {
    const key = parsed.action === 'push' ? parsed.options.idempotency_key : null;
    const answer = await sendJson(method, url, body, {
      apiKey,
      ...(key === null || key === undefined ? {} : { idempotencyKey: String(key) }),
    });
    out(`${action} request to ${url} - ${answer.status}: ${answer.text}`);
    if (answer.status >= 200 && answer.status < 300) return 0;
    if (answer.status !== 410) {
      out(`${action} request to ${url} failed: ${answer.status}: ${answer.text}`);
      return 1;
    }
    // A 410 is a success for the script; it walks the per-device answers (legacy FCM `failure`) and, since a
    // commented-out purge, does nothing with them, but an answer it cannot walk still ends in its error line.
    const json = JSON.parse(answer.text) as unknown;
    try {
      for (const result of pyIter(pyPath(json, 'data'))) {
        const content = pyPath(result, 'body', '_content');
        if (pyEqualsOne(pyPath(content, 'failure'))) pyPath(content, 'results', 0, 'error');
      }
    } catch (error) {
      if (!(error instanceof PyKeyError)) throw error;
    }
    return 0;
  } catch {
    out(`${action} request to ${url} failed: connection error`);
    return 1;
  }
}
