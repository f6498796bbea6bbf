// A call's history read back: records grouped per push (job), with a link to each job's page on Bull Board,
// and the JSON `GET /v1/calls/{call-id}` and `pushwire calls show --json` answer.
import type { CallApi, CallHistoryRecord, FinalOutcome, PolicyOutcome } from './call-history-records.js';

export interface AttemptView {
  attempt: number;
  at: number;
  sent: boolean;
  outcome: string;
  code: number;
  reason: string;
  retryAfterMs: number | null;
}

export interface PolicyView {
  at: number;
  attempt: number;
  outcome: PolicyOutcome;
  code: number;
  reason: string;
}

export interface ResultView {
  at: number;
  attempt: number;
  outcome: FinalOutcome;
  code: number;
  reason: string;
}

/** One push (one job) of the call. Fields ingest recorded are null if its record is missing (written by an older ingest). */
export interface PushView {
  jobId: string;
  queue: string;
  /** Path of the job's page on Bull Board (`<board>/queue/<queue>/<job-id>`). */
  board: string;
  api: CallApi | null;
  appId: string | null;
  platform: string | null;
  event: string | null;
  deviceId: string | null;
  account: string | null;
  acceptedAt: number | null;
  deadlineAt: number | null;
  /** How often ingest accepted this same job: more than 1 means a keyed request was taken over by its repeat. */
  timesAccepted: number;
  request: Record<string, unknown> | null;
  attempts: AttemptView[];
  policy: PolicyView[];
  result: ResultView | null;
  status: FinalOutcome | 'pending';
}

/** Bull Board's page of one job: its UI routes `/queue/:queueName/:jobId` under the board's base path. */
export function boardJobPath(boardPath: string, queue: string, jobId: string): string {
  return `${boardPath.replace(/\/+$/, '')}/queue/${encodeURIComponent(queue)}/${encodeURIComponent(jobId)}`;
}

/** Groups a call's records (oldest first) into pushes, in the order they were first seen. */
export function buildPushViews(records: readonly CallHistoryRecord[], boardPath: string): PushView[] {
  const pushes = new Map<string, PushView>();
  const pushOf = (r: CallHistoryRecord): PushView => {
    const id = `${r.queue}\u0000${r.jobId}`;
    let push = pushes.get(id);
    if (!push) {
      push = {
        jobId: r.jobId,
        queue: r.queue,
        board: boardJobPath(boardPath, r.queue, r.jobId),
        api: null,
        appId: null,
        platform: null,
        event: null,
        deviceId: null,
        account: null,
        acceptedAt: null,
        deadlineAt: null,
        timesAccepted: 0,
        request: null,
        attempts: [],
        policy: [],
        result: null,
        status: 'pending',
      };
      pushes.set(id, push);
    }
    return push;
  };
  for (const r of records) {
    const push = pushOf(r);
    if (r.kind === 'accepted') {
      push.timesAccepted += 1;
      if (push.acceptedAt !== null) continue; // a repeat that took over a keyed request: the first one tells it
      Object.assign(push, {
        api: r.api,
        appId: r.appId,
        platform: r.platform,
        event: r.event,
        deviceId: r.deviceId,
        account: r.account,
        acceptedAt: r.at,
        deadlineAt: r.deadlineAt,
        request: r.request,
      });
    } else if (r.kind === 'attempt') {
      push.attempts.push({
        attempt: r.attempt,
        at: r.at,
        sent: r.sent,
        outcome: r.outcome,
        code: r.code,
        reason: r.reason,
        retryAfterMs: r.retryAfterMs,
      });
      if (r.policy)
        push.policy.push({ at: r.at, attempt: r.attempt, outcome: r.policy, code: r.code, reason: r.reason });
    } else {
      push.result = { at: r.at, attempt: r.attempt, outcome: r.outcome, code: r.code, reason: r.reason };
      push.status = r.outcome;
      if (r.outcome === 'expired' || r.outcome === 'superseded') {
        push.policy.push({ at: r.at, attempt: r.attempt, outcome: r.outcome, code: r.code, reason: r.reason });
      }
    }
  }
  return [...pushes.values()];
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The API's answer: snake_case, ISO 8601 times. */
export function callHistoryJson(callId: string, pushes: readonly PushView[]) {
  return {
    call_id: callId,
    pushes: pushes.map((p) => ({
      job_id: p.jobId,
      queue: p.queue,
      board: p.board,
      api: p.api,
      app_id: p.appId,
      platform: p.platform,
      event: p.event,
      device_id: p.deviceId,
      account: p.account,
      accepted_at: iso(p.acceptedAt),
      deadline_at: iso(p.deadlineAt),
      times_accepted: p.timesAccepted,
      status: p.status,
      request: p.request,
      attempts: p.attempts.map((a) => ({
        attempt: a.attempt,
        at: iso(a.at),
        sent: a.sent,
        outcome: a.outcome,
        code: a.code,
        reason: a.reason,
        retry_after_ms: a.retryAfterMs,
      })),
      policy: p.policy.map((x) => ({
        outcome: x.outcome,
        at: iso(x.at),
        attempt: x.attempt,
        code: x.code,
        reason: x.reason,
      })),
      result: p.result && {
        outcome: p.result.outcome,
        at: iso(p.result.at),
        attempt: p.result.attempt,
        code: p.result.code,
        reason: p.result.reason,
      },
    })),
  };
}

export type CallHistoryJson = ReturnType<typeof callHistoryJson>;
