// Pushwire's environment settings: the metrics and worker HTTP ports are off unless set, and checked at start.
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { readPushwireSettings } from './env-settings.js';

describe('metrics settings', () => {
  it('default: no metrics port, none on the API port, no worker HTTP port', () => {
    expect(readPushwireSettings({})).toMatchObject({ metricsPort: null, metricsOnMainPort: false, workerHttpPort: null });
    expect(readPushwireSettings({ PUSHWIRE_METRICS_PORT: '', PUSHWIRE_WORKER_HTTP_PORT: '' })).toMatchObject({ metricsPort: null, workerHttpPort: null });
  });

  it('reads ports (0 = any free port) and the main-port switch', () => {
    const settings = readPushwireSettings({ PUSHWIRE_METRICS_PORT: '9400', PUSHWIRE_WORKER_HTTP_PORT: '0', PUSHWIRE_METRICS_ON_MAIN_PORT: 'yes' });
    expect(settings).toMatchObject({ metricsPort: 9400, workerHttpPort: 0, metricsOnMainPort: true });
    expect(readPushwireSettings({ PUSHWIRE_METRICS_ON_MAIN_PORT: 'false' }).metricsOnMainPort).toBe(false);
  });

  it.each([
    ['PUSHWIRE_METRICS_PORT', '70000'],
    ['PUSHWIRE_WORKER_HTTP_PORT', 'http'],
    ['PUSHWIRE_METRICS_ON_MAIN_PORT', 'maybe'],
  ])('%s=%s stops the start, naming the variable', (name, value) => {
    expect(() => readPushwireSettings({ [name]: value })).toThrow(ConfigError);
    expect(() => readPushwireSettings({ [name]: value })).toThrow(name);
  });
});
