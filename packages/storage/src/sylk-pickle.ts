// Reads Sylk's `webrtc_device_tokens` pickle (import only): a defaultdict of account → {"<app>-<device>": record}.
// Also `@pushwire/storage/sylk-pickle`: only the import command loads this module and its parser.
import { readFile } from 'node:fs/promises';
import { NameRegistry, Parser } from 'pickleparser';
import { isPlatform, normalizePlatform, errorMessage } from '@pushwire/core';
import { parseSilentFlag } from './silent-flag.js';
import type { DeviceRecord } from './token-storage.js';

export { SYLK_PICKLE_FILE_NAME, sylkPickleFilePath } from './sylk-pickle-path.js';

export interface SylkPickleEntry {
  account: string;
  device: DeviceRecord;
}

/** A record the importer could not turn into a device, and why (for the CLI to print). */
export interface SkippedPickleEntry {
  account: string;
  key: string | null;
  reason: string;
}

export interface ReadSylkPickleOptions {
  /** Called for each record left out. Default: ignore. */
  onSkipped?: (entry: SkippedPickleEntry) => void;
}

export class SylkPickleError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${path} is not a Sylk token file: ${reason}`);
    this.name = 'SylkPickleError';
  }
}

/**
 * Only the classes such a file holds resolve; any other global is refused rather than turned into a
 * placeholder (this reader never runs code, but a foreign pickle should fail loudly, not import rubbish).
 */
class SylkNames extends NameRegistry {
  override onMissingName(module: string, name: string): never {
    throw new Error(`unexpected Python object ${module}.${name}`);
  }
}

function newDict(): Map<unknown, unknown> {
  return new Map();
}

const NAMES = new SylkNames()
  // defaultdict pickles through __reduce__: REDUCE calls it with (default_factory,), then SETITEMS fills it.
  .register('collections', 'defaultdict', newDict)
  .register('builtins', 'dict', newDict)
  .register('__builtin__', 'dict', newDict)
  .register('builtins', 'set', () => new Set())
  .register('__builtin__', 'set', () => new Set());

/**
 * pickleparser (a maintained, dependency-free reader of protocols 0–5) does the opcodes; dicts come back as
 * Maps so no key can reach an object prototype. Records keep Sylk's fields (`app_id`, `platform`, `token`,
 * `background_token`, `device_id`, `silent`, `user_agent`); the extra keys a v2 push merged into them
 * (Sylk's quirk) are ignored. Apple tokens are already split by Sylk, so they are taken as stored.
 */
export async function readSylkPickle(path: string, options: ReadSylkPickleOptions = {}): Promise<SylkPickleEntry[]> {
  const bytes = await readFile(path);
  let root: unknown;
  try {
    root = new Parser({ nameResolver: NAMES, unpicklingTypeOfDictionary: 'Map', unpicklingTypeOfSet: 'Set' }).parse(
      bytes,
    );
  } catch (error) {
    throw new SylkPickleError(path, errorMessage(error));
  }
  if (!(root instanceof Map)) throw new SylkPickleError(path, 'the top level is not a dict');
  const skip = options.onSkipped ?? (() => undefined);
  const entries: SylkPickleEntry[] = [];
  for (const [account, records] of root) {
    if (typeof account !== 'string') {
      skip({ account: String(account), key: null, reason: 'account is not a string' });
      continue;
    }
    // SylkServer's oldest layout kept a set of bare tokens per account: nothing to rebuild a device from.
    if (!(records instanceof Map)) {
      skip({ account, key: null, reason: 'not a dict of devices (an old layout?)' });
      continue;
    }
    for (const [key, record] of records) {
      const device = record instanceof Map ? toDevice(record) : 'not a dict';
      if (typeof device === 'string') skip({ account, key: typeof key === 'string' ? key : null, reason: device });
      else entries.push({ account, device });
    }
  }
  return entries;
}

/** The device, or why not. SylkServer wrote `device_token` where Sylk Pushserver wrote `token`. */
function toDevice(record: Map<unknown, unknown>): DeviceRecord | string {
  const text = (name: string): string | null => {
    const value = record.get(name);
    return typeof value === 'string' ? value : null;
  };
  const appId = text('app_id');
  const deviceId = text('device_id');
  const token = text('token') ?? text('device_token');
  const platform = normalizePlatform(text('platform') ?? '');
  if (appId === null || appId === '') return 'no app_id';
  if (deviceId === null) return 'no device_id';
  if (token === null || token === '') return 'no token';
  if (!isPlatform(platform)) return `unknown platform ${JSON.stringify(record.get('platform') ?? null)}`;
  return {
    appId,
    platform,
    deviceId,
    token,
    backgroundToken: text('background_token'),
    silent: parseSilentFlag(record.get('silent')),
    userAgent: text('user_agent'),
  };
}
