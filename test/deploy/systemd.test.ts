// deploy/systemd/pushwire.service: Sylk's unit, done Pushwire's way (same command line, graceful stop, non-root).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCli } from '../../services/pushwire/src/cli-args.js';
import { builtPath, readBuildConfig } from './compiled-output.js';
import { readRepoFile, repoFileExists, repoPath } from './repo-files.js';

/** Unit file sections → keys → every value given (systemd allows repeats, e.g. Environment=). */
function parseUnit(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section?.[1]) {
      current = new Map();
      sections.set(section[1], current);
      continue;
    }
    const entry = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (!entry?.[1] || entry[2] === undefined || !current) throw new Error(`not a unit file line: ${line}`);
    current.set(entry[1], [...(current.get(entry[1]) ?? []), entry[2]]);
  }
  return sections;
}

const unit = parseUnit(readRepoFile('deploy/systemd/pushwire.service'));
const service = unit.get('Service') ?? new Map<string, string[]>();
const one = (key: string): string => {
  const values = service.get(key) ?? [];
  if (values.length !== 1) throw new Error(`[Service] ${key}: expected one value, got ${values.length}`);
  return values[0] ?? '';
};

describe('deploy/systemd/pushwire.service', () => {
  it("starts `pushwire start --config_dir /etc/sylk-pushserver`, like Sylk's unit, compiled, with plain node", () => {
    const [node, script, ...args] = one('ExecStart').split(/\s+/);
    expect(node).toMatch(/\/node$/);
    const prefix = one('WorkingDirectory');
    expect(script?.startsWith(`${prefix}/`)).toBe(true);
    // What `pnpm build` makes of the command's entry point (built by the deploy project's global setup).
    const main = builtPath('services/pushwire/src/main.ts', readBuildConfig('services/pushwire/tsconfig.build.json'));
    expect(script?.slice(prefix.length + 1)).toBe(main);
    expect(repoFileExists(main)).toBe(true);
    expect(parseCli(args, {})).toMatchObject({ command: ['start'], configDir: '/etc/sylk-pushserver' });
  });

  it('restarts always, stops with SIGTERM and waits 35 s for the 30 s graceful stop', () => {
    expect(one('Restart')).toBe('always');
    expect(one('KillSignal')).toBe('SIGTERM');
    expect(Number(one('TimeoutStopSec'))).toBeGreaterThanOrEqual(35);
  });

  it('runs as a non-root user, and never beside Sylk Pushserver', () => {
    expect(one('User')).not.toMatch(/^(root|0)$/);
    expect(unit.get('Unit')?.get('Conflicts')).toEqual(['sylk-pushserver.service']);
    expect(unit.get('Install')?.get('WantedBy')).toEqual(['multi-user.target']);
  });

  const analyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
  const dir = mkdtempSync(join(tmpdir(), 'pushwire-unit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.skipIf(analyze.status !== 0)('systemd-analyze verify finds no unknown or invalid settings', () => {
    const copy = join(dir, 'pushwire.service');
    copyFileSync(repoPath('deploy/systemd/pushwire.service'), copy);
    const result = spawnSync('systemd-analyze', ['verify', copy], { encoding: 'utf8' });
    // Only complaints about the file's own settings count (the unit's user or paths need not exist here).
    const complaints = `${result.stdout}\n${result.stderr}`
      .split('\n')
      .filter((line) => /Unknown|Invalid|Failed to parse|bad-setting/i.test(line));
    expect(complaints).toEqual([]);
  });
});
