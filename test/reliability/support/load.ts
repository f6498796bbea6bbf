// HTTP load for the reliability tests: bounded parallelism, every answer (or transport error) recorded.

export interface PushPost {
  /** The push id (call-id) this request carries. */
  id: string;
  path: string;
  body: unknown;
  /** Extra request headers (e.g. an Idempotency-Key). */
  headers?: Record<string, string>;
}

export interface PushAttempt {
  id: string;
  /** The HTTP status; 0 when no answer came (connection refused or reset). */
  status: number;
  /** The transport error when status is 0. */
  error: string | null;
  /** `performance.now()` when the request was sent and when its answer (or error) came: orders it against events. */
  sentAt: number;
  answeredAt: number;
}

/** POSTs one JSON body; never throws: a transport failure is an attempt with status 0. */
export async function postPush(url: string, post: PushPost): Promise<PushAttempt> {
  const sentAt = performance.now();
  try {
    const res = await fetch(`${url}${post.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...post.headers },
      body: JSON.stringify(post.body),
    });
    await res.arrayBuffer();
    return { id: post.id, status: res.status, error: null, sentAt, answeredAt: performance.now() };
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : '';
    const message = `${error instanceof Error ? error.message : String(error)} ${cause}`.trim();
    return { id: post.id, status: 0, error: message, sentAt, answeredAt: performance.now() };
  }
}

export interface Load {
  /** Attempts finished so far, in completion order (a live array). */
  readonly attempts: PushAttempt[];
  /** Lets requests in flight finish, starts no new one, resolves with every attempt. */
  stop(): Promise<PushAttempt[]>;
  /** Resolves when `next` ran out (or after stop()) and every request finished. */
  readonly done: Promise<PushAttempt[]>;
}

/**
 * Runs `concurrency` request loops; each takes the next request from `next(i)` (i = 0, 1, 2 …) until it
 * returns null or the load is stopped.
 */
export function startLoad(url: string, concurrency: number, next: (i: number) => PushPost | null): Load {
  const attempts: PushAttempt[] = [];
  let index = 0;
  let stopped = false;
  const loop = async () => {
    while (!stopped) {
      const post = next(index++);
      if (post === null) return;
      attempts.push(await postPush(url, post));
    }
  };
  const done = Promise.all(Array.from({ length: concurrency }, loop)).then(() => attempts);
  return {
    attempts,
    done,
    stop: () => {
      stopped = true;
      return done;
    },
  };
}

/** Sends every request with at most `concurrency` in flight. */
export function postAll(url: string, posts: readonly PushPost[], concurrency: number): Promise<PushAttempt[]> {
  return startLoad(url, concurrency, (i) => posts[i] ?? null).done;
}

/** Attempts grouped by status (0 = no answer). */
export function byStatus(attempts: readonly PushAttempt[]): Map<number, PushAttempt[]> {
  const groups = new Map<number, PushAttempt[]>();
  for (const a of attempts) groups.set(a.status, [...(groups.get(a.status) ?? []), a]);
  return groups;
}
