// send-time formatting: Python strftime layout, local time zone.
import { afterEach, describe, expect, it } from 'vitest';
import { linphoneSendTime } from './send-time.js';

describe('linphoneSendTime', () => {
  const savedTz = process.env.TZ;
  afterEach(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });

  it('formats as %Y-%m-%d %H:%M:%S with zero padding', () => {
    expect(linphoneSendTime(new Date(2025, 0, 2, 3, 4, 5))).toBe('2025-01-02 03:04:05');
    expect(linphoneSendTime(new Date(2025, 11, 31, 23, 59, 59))).toBe('2025-12-31 23:59:59');
  });

  it("uses the server's local time zone, not UTC (Python's datetime.now())", () => {
    const instant = new Date(Date.UTC(2025, 0, 1, 20, 0, 0));
    process.env.TZ = 'Asia/Kolkata'; // UTC+05:30, no DST
    expect(linphoneSendTime(instant)).toBe('2025-01-02 01:30:00');
    process.env.TZ = 'America/Los_Angeles'; // UTC-08:00 in January
    expect(linphoneSendTime(instant)).toBe('2025-01-01 12:00:00');
  });
});
