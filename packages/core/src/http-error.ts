// Errors are typed values carrying their HTTP answer; one handler renders them.

/** Sylk's envelope. `data` is `""` on validation errors (as Sylk), an object elsewhere. */
export interface Envelope {
  code: number;
  description: string;
  data: unknown;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    /** The exact JSON body to answer with. */
    readonly body: unknown,
    message?: string,
  ) {
    super(message ?? (isEnvelope(body) ? body.description : `HTTP ${status}`));
    this.name = 'HttpError';
  }

  /** An error answered in Sylk's `{"code","description","data"}` envelope. */
  static envelope(status: number, description: string, data: unknown = {}): HttpError {
    return new HttpError(status, { code: status, description, data } satisfies Envelope, description);
  }
}

function isEnvelope(body: unknown): body is Envelope {
  return typeof body === 'object' && body !== null && 'description' in body;
}
