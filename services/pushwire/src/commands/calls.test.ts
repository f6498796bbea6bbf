// `pushwire calls show` prints caller-chosen text (accounts, device ids, call-ids) and push services' reasons:
// every one is escaped, so a stored value cannot move the cursor, clear the screen or reorder a line.
import { buildPushViews, type CallHistoryRecord } from '@pushwire/queue';
import { describe, expect, it } from 'vitest';
import { printableJson } from '../terminal-text.js';
import { timeline } from './calls.js';

const ESC = '\u001b[2J\u001b[31m';
const RLO = '\u202e';
const T = 1_760_000_000_000;
/** What must never reach a terminal raw: controls (C0, DEL, C1), a bidi override, line separators. */
const UNSAFE = /[\p{Cc}\u202e\u2028\u2029]/u;
const hostile = `x${ESC}y${RLO}z\r\nfake line\u0085\u0007`;

const records: CallHistoryRecord[] = [
  {
    kind: 'accepted',
    at: T,
    jobId: 'v2-1',
    queue: 'push.apple.com.example',
    api: 'v2',
    appId: `com.example${ESC}`,
    platform: 'apple',
    event: 'message',
    deviceId: hostile,
    account: `bob${hostile}@x`,
    deadlineAt: null,
    request: { token: `tok${hostile}`, 'call-id': hostile },
  },
  {
    kind: 'attempt',
    at: T + 1,
    jobId: 'v2-1',
    queue: 'push.apple.com.example',
    attempt: 1,
    sent: true,
    outcome: 'rejected',
    code: 400,
    reason: `Bad${hostile}`,
    retryAfterMs: null,
    policy: null,
  },
  {
    kind: 'result',
    at: T + 2,
    jobId: 'v2-1',
    queue: 'push.apple.com.example',
    attempt: 1,
    outcome: 'rejected',
    code: 400,
    reason: `Bad${hostile}`,
  },
];

describe('calls show output', () => {
  it('escapes control, bidi and line-breaking characters in everything it prints', () => {
    const lines = timeline(hostile, buildPushViews(records, '/admin'));
    const text = lines.join('\n');
    for (const line of lines) expect(line).not.toMatch(UNSAFE);
    // One line per event still: nothing in the values broke a line.
    expect(lines).toHaveLength(8);
    expect(text).toContain('device x\\u001b[2J\\u001b[31my\\u202ez\\u000d\\u000afake line\\u0085\\u0007');
    expect(text).toContain('attempt 1: 400 Badx\\u001b');
  });

  it('keeps --json valid and equal while escaping what JSON.stringify leaves raw', () => {
    const value = { call_id: hostile, reason: `a\u2028b\u007f` };
    const json = printableJson(JSON.stringify(value, null, 2));
    // Only the layout's own line breaks stay raw.
    expect(json.replace(/\n/g, '')).not.toMatch(UNSAFE);
    expect(JSON.parse(json)).toEqual(value);
  });
});
