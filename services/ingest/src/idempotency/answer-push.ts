// Queues a push request's jobs and answers it, at most once per Idempotency-Key: without the header every
// request is a new push (as Sylk sends it); with it, a repeat of the same request answers the first answer and
// queues nothing, another request under the key is 422, and a repeat during the first's acceptance is 409.
import { HttpError, type PushResult } from '@pushwire/core';
import type { Logger } from '@pushwire/logging';
import {
  keyedJobId,
  requestFingerprint,
  uniqueJobId,
  type AcceptedJobRef,
  type IdempotencyClaim,
  type IdempotencyTicket,
  type JobApi,
  type StoredAnswer,
} from '@pushwire/queue';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { enqueueAndAwaitResults, type DispatchJob } from '../dispatch.js';
import type { IngestDeps } from '../ingest-deps.js';
import type { IngestSettings } from '../ingest-settings.js';
import { queueUnavailable } from '../sylk-responses.js';
import { IDEMPOTENCY_HEADER, idempotencyKeyOf, idempotencyScopeOf } from './idempotency-key.js';

/** What a push route contributes: its jobs, what makes two of its requests the same, and its sync answer. */
export interface PushPlan {
  api: JobApi;
  /** The request in canonical form (validated values, not the bytes sent): hashed, never stored. */
  fingerprint: unknown;
  /** The jobs to queue; each id comes from `jobId(part)`, `part` telling a v2 fan-out's devices apart. */
  jobs(jobId: (part: string) => string): DispatchJob[];
  /** The sync answer from the jobs' results (null: still being delivered when the bounded wait ended). */
  answer(results: readonly (PushResult | null)[], jobIds: readonly string[]): { status: number; body: object };
  log: Logger;
}

/** `return_async = false`: accepted once Redis holds the jobs. */
const ACCEPTED_ASYNC: StoredAnswer = {
  status: 202,
  body: JSON.stringify({ code: 202, description: 'accepted for delivery', data: {} }),
};

export async function answerPush(
  c: Context,
  deps: IngestDeps,
  settings: IngestSettings,
  plan: PushPlan,
): Promise<Response> {
  const key = idempotencyKeyOf(c);
  if (key === null) {
    const jobs = plan.jobs(() => uniqueJobId(plan.api));
    return send(c, await accept(deps, settings, plan, jobs, null));
  }
  let claim: IdempotencyClaim;
  try {
    claim = await deps.idempotency.claim(
      idempotencyScopeOf(c, `push-${plan.api}`, key),
      requestFingerprint(plan.fingerprint),
    );
  } catch (error) {
    plan.log.error(
      { err: error },
      `push not accepted: ${IDEMPOTENCY_HEADER} not checked: ${error instanceof Error ? error.message : String(error)}`,
    );
    throw queueUnavailable();
  }
  switch (claim.kind) {
    case 'conflict':
      plan.log.info(
        { idempotency: claim.id },
        `push not accepted: ${IDEMPOTENCY_HEADER} ${claim.id}… was used for another request`,
      );
      throw HttpError.envelope(
        422,
        `${IDEMPOTENCY_HEADER} was already used for another request: send a new key for a new push`,
      );
    case 'in-flight':
      plan.log.info(
        { idempotency: claim.id },
        `push not accepted: the first request with ${IDEMPOTENCY_HEADER} ${claim.id}… is still being accepted`,
      );
      return c.json(
        {
          code: 409,
          description: `a request with this ${IDEMPOTENCY_HEADER} is still being accepted: retry later`,
          data: {},
        },
        409,
        { 'Retry-After': '1' },
      );
    case 'full': {
      const seconds = Math.max(1, Math.ceil(claim.retryAfterMs / 1000));
      plan.log.warn(
        { max_keys: deps.idempotency.maxKeys },
        `push not accepted: ${deps.idempotency.maxKeys} ${IDEMPOTENCY_HEADER}s are kept (PUSHWIRE_IDEMPOTENCY_MAX_KEYS)`,
      );
      return c.json(
        {
          code: 503,
          description: `too many ${IDEMPOTENCY_HEADER}s kept (PUSHWIRE_IDEMPOTENCY_MAX_KEYS=${deps.idempotency.maxKeys}): retry later, or send without the header`,
          data: { retry_after: seconds },
        },
        503,
        { 'Retry-After': String(seconds) },
      );
    }
    case 'answered':
      plan.log.info(
        { idempotency: claim.id },
        `repeat of an answered request (${IDEMPOTENCY_HEADER} ${claim.id}…): its answer again, nothing sent`,
      );
      return send(c, claim.answer, true);
    case 'accepted':
      plan.log.info(
        { idempotency: claim.ticket.id },
        `repeat of an accepted request (${IDEMPOTENCY_HEADER} ${claim.ticket.id}…): waiting for its results, nothing sent`,
      );
      return send(c, await answerOfFirst(deps, plan, claim), true);
    case 'accept': {
      const { ticket } = claim;
      const jobs = plan.jobs((part) => keyedJobId(plan.api, ticket.nonce, part));
      let answer: StoredAnswer;
      try {
        answer = await accept(deps, settings, plan, jobs, ticket);
      } catch (error) {
        // Nothing accepted: a repeat may take over at once, with the same job ids (the key's nonce).
        await deps.idempotency.release(ticket).catch(() => undefined);
        throw error;
      }
      return send(c, await completeOrOwn(deps, plan.log, ticket, answer));
    }
  }
}

/** Queues the jobs (and, for a keyed sync request, tells repeats to wait for their results), then answers. */
async function accept(
  deps: IngestDeps,
  settings: IngestSettings,
  plan: PushPlan,
  jobs: DispatchJob[],
  ticket: IdempotencyTicket | null,
): Promise<StoredAnswer> {
  const onAccepted = ticket
    ? async () => {
        const refs: AcceptedJobRef[] = jobs.map((j) => ({
          appId: j.data.request.appId,
          platform: j.data.request.platform,
          jobId: j.jobId,
        }));
        // The jobs are queued: failing to say so only makes a repeat wait for the lease instead of the results.
        await deps.idempotency
          .accepted(ticket, refs)
          .catch((error: unknown) =>
            plan.log.warn({ err: error, idempotency: ticket.id }, 'idempotency record not updated'),
          );
      }
    : undefined;
  const results = await enqueueAndAwaitResults(deps, settings, jobs, onAccepted);
  if (!settings.returnAsync) return ACCEPTED_ASYNC;
  const { status, body } = plan.answer(
    results,
    jobs.map((j) => j.jobId),
  );
  return { status, body: JSON.stringify(body) };
}

/** A repeat of a request whose jobs are queued: the same wait for the same results, then the one stored answer. */
async function answerOfFirst(
  deps: IngestDeps,
  plan: PushPlan,
  claim: Extract<IdempotencyClaim, { kind: 'accepted' }>,
): Promise<StoredAnswer> {
  const waiters = claim.jobs.map((j) => deps.results.wait(j.jobId, deps.jobKey(j.appId, j.platform, j.jobId)));
  const remaining = Math.max(0, claim.acceptedAt + deps.syncWaitMs - Date.now());
  const results = await Promise.all(waiters.map((w) => w.result(remaining)));
  const { status, body } = plan.answer(
    results,
    claim.jobs.map((j) => j.jobId),
  );
  // Whichever of the two stores its answer first, both send that one.
  return completeOrOwn(deps, plan.log, claim.ticket, { status, body: JSON.stringify(body) });
}

async function completeOrOwn(
  deps: IngestDeps,
  log: Logger,
  ticket: IdempotencyTicket,
  answer: StoredAnswer,
): Promise<StoredAnswer> {
  try {
    return await deps.idempotency.complete(ticket, answer);
  } catch (error) {
    // The push is accepted: answer it. A repeat then takes over after the lease and finds its jobs queued.
    log.warn({ err: error, idempotency: ticket.id }, 'answer not stored for its idempotency key');
    return answer;
  }
}

function send(c: Context, answer: StoredAnswer, replayed = false): Response {
  return c.body(answer.body, answer.status as ContentfulStatusCode, {
    'Content-Type': 'application/json',
    ...(replayed ? { 'Idempotent-Replayed': 'true' } : {}),
  });
}
