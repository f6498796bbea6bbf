// The ingest side of the per-call history: one record per job Redis acknowledged (a v2 fan-out: one per device).
import { pushQueueName, type AcceptedInput, type PushJobData } from '@pushwire/queue';

export interface AcceptedHistory {
  /** `CallHistory.accepted`: never throws (a lost record must not fail an accepted push). */
  accepted(inputs: readonly AcceptedInput[]): Promise<void>;
}

/** Records jobs just enqueued; does nothing without a history. */
export async function recordAccepted(
  history: AcceptedHistory | undefined,
  jobs: readonly { jobId: string; data: PushJobData }[],
): Promise<void> {
  if (!history || jobs.length === 0) return;
  await history.accepted(
    jobs.map(({ jobId, data }) => ({
      jobId,
      queue: pushQueueName(data.request.appId, data.request.platform),
      api: data.v2 ? 'v2' : 'v1',
      request: data.request,
      acceptedAt: data.acceptedAt,
      deadlineAt: data.deadlineAt,
      account: data.v2?.account ?? null,
      deviceId: data.v2?.deviceId ?? data.request.deviceId,
    })),
  );
}
