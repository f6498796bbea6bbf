// What the audit endpoints need: the credentials in force, the call history, and Bull Board's routes.
import type { AdminCredentials } from '@pushwire/core';
import type { CallHistoryRecord } from '@pushwire/queue';
import type { Hono } from 'hono';
import type { NetworkSet } from '../callers/network-set.js';

/** Where Bull Board is mounted; `/v1/calls` links to its job pages under it. */
export const BOARD_PATH = '/admin';

export interface AuditDeps {
  /** The admin login in force (a configuration reload may change it); null: /admin and /v1/calls answer 404. */
  credentials(): AdminCredentials | null;
  /** `[admin] allowed_hosts` in force: who may try a login at all; null = any client. */
  allowedHosts(): NetworkSet | null;
  /** Reads one call's history (`CallHistory.read`). */
  history: { read(callId: string): Promise<CallHistoryRecord[]> };
  /** Bull Board's routes. Absent: no board is mounted (the history still names its job pages). */
  board?: Hono;
}
