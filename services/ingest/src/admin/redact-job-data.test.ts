// What the board shows of job data: secrets never, message text only without redact_content.
import { describe, expect, it } from 'vitest';
import { redactJobData } from './redact-job-data.js';

const sinkRecord = {
  requestId: 'message-com.x-c1',
  url: 'https://logs.example/in',
  payload: {
    request: {
      incoming_body: { app_id: 'com.x', call_id: 'c1', content: 'meet at 5', token: 'tok' },
      outgoing_headers: {
        authorization: 'bearer eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJ0ZWFtIn0.c2lnbmF0dXJlLWJ5dGVz',
        'apns-topic': 'com.x',
      },
      outgoing_body: JSON.stringify({
        aps: { alert: { title: 'New message', body: 'From alice@example.com' } },
        data: { content: 'meet at 5', content_type: 'text/plain' },
      }),
    },
    response: { code: 200, description: 'ok', push_url: 'https://apns/3/device/tok' },
  },
};

describe('redactJobData', () => {
  it('removes Authorization values, JWTs, PEM blocks and keys wherever they appear', () => {
    const data = {
      ...sinkRecord,
      note: 'header was Bearer abc.def-ghi and a key -----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY----- here',
      nested: [{ private_key: 'x' }, { jwt: 'y' }],
    };
    const text = JSON.stringify(redactJobData(data, { redactContent: false }));
    expect(text).not.toMatch(/eyJhbGci|abc\.def-ghi|MIIE|"x"|"y"/);
    expect(text).toContain('"authorization":"[redacted]"');
    expect(text).toContain('Bearer [redacted]');
    // Everything else is left for the auditor.
    expect(text).toContain('meet at 5');
    expect(text).toContain('"apns-topic":"com.x"');
  });

  it('redacts message content in push jobs and in sink records, inside the outgoing JSON too', () => {
    const push = { request: { callId: 'c1', content: 'meet at 5', contentType: 'text/plain' }, requestId: 'r' };
    expect(redactJobData(push, { redactContent: true })).toEqual({
      request: { callId: 'c1', content: '[redacted]', contentType: 'text/plain' },
      requestId: 'r',
    });
    const record = redactJobData(sinkRecord, { redactContent: true }) as typeof sinkRecord;
    expect(record.payload.request.incoming_body.content).toBe('[redacted]');
    expect(JSON.parse(record.payload.request.outgoing_body)).toMatchObject({
      data: { content: '[redacted]', content_type: 'text/plain' },
    });
    expect(JSON.stringify(record)).not.toContain('meet at 5');
    expect(record.payload.request.outgoing_body).toContain('"body":"From alice@example.com"');
  });

  it('shows log sink URLs without their credentials (user:pass@, key parameters), in any job format', () => {
    const legacy = { requestId: 'r', url: 'https://logger:pa55@logs.example/in?key=k3y&app=x', payload: {} };
    const named = {
      requestId: 'r',
      sink: { appId: 'com.x', platform: 'apple', index: 0, shown: 'https://logger:[redacted]@logs.example/in' },
      payload: {},
    };
    const shown = JSON.stringify([
      redactJobData(legacy, { redactContent: false }),
      redactJobData(named, { redactContent: false }),
    ]);
    expect(shown).toContain('https://logger:[redacted]@logs.example/in?key=[redacted]&app=x');
    expect(shown).not.toMatch(/pa55|k3y/);
  });

  it('keeps null content as null and leaves the input untouched', () => {
    const push = { request: { content: null } };
    expect(redactJobData(push, { redactContent: true })).toEqual({ request: { content: null } });
    redactJobData(sinkRecord, { redactContent: true });
    expect(sinkRecord.payload.request.incoming_body.content).toBe('meet at 5');
  });
});
