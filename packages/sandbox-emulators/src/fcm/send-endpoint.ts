// `POST /v1/projects/<p>/messages:send`: authorisation, then the body, then any injected status fault,
// answered the way FCM answers (google.rpc.Status errors, `{"name": ...}` on success).
import {
  credentialsInvalid,
  credentialsMissing,
  fcmErrorDetail,
  FCM_DEFAULT_MESSAGES,
  insufficientScopes,
  permissionDenied,
  rpcError,
  badRequestDetail,
} from './google-errors.js';
import type { FaultBook } from './fault-book.js';
import { validateSendRequest } from './message-validation.js';
import type { IssuedAccessToken } from './token-endpoint.js';

/** Scopes that allow `messages:send`. */
const FCM_SCOPES = [
  'https://www.googleapis.com/auth/firebase.messaging',
  'https://www.googleapis.com/auth/cloud-platform',
];

export interface SendAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  fault: 'status' | null;
}

export interface SendContext {
  projectId: string;
  authorization: string | undefined;
  /** The parsed body, or `undefined` when it was not JSON. */
  json: unknown;
  accessTokens: ReadonlyMap<string, IssuedAccessToken>;
  faults: FaultBook;
  now: number;
  newMessageId(): string;
}

const WWW_AUTHENTICATE = { 'www-authenticate': 'Bearer realm="https://accounts.google.com/"' };

function answer(status: number, body: unknown, headers: Record<string, string> = {}): SendAnswer {
  return { status, headers, body, fault: null };
}

function authorize(ctx: SendContext): SendAnswer | null {
  const header = ctx.authorization?.trim();
  if (header === undefined || header === '') return answer(401, credentialsMissing(), WWW_AUTHENTICATE);
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (match === null) return answer(401, credentialsInvalid('ACCESS_TOKEN_TYPE_UNSUPPORTED'), WWW_AUTHENTICATE);
  const issued = ctx.accessTokens.get(match[1] ?? '');
  if (issued === undefined) return answer(401, credentialsInvalid('ACCESS_TOKEN_TYPE_UNSUPPORTED'), WWW_AUTHENTICATE);
  if (ctx.now >= issued.expiresAt) return answer(401, credentialsInvalid('ACCESS_TOKEN_EXPIRED'), WWW_AUTHENTICATE);
  if (issued.projectId !== ctx.projectId) return answer(403, permissionDenied(ctx.projectId));
  if (!issued.scopes.some((s) => FCM_SCOPES.includes(s))) return answer(403, insufficientScopes());
  return null;
}

export function answerSend(ctx: SendContext): SendAnswer {
  const denied = authorize(ctx);
  if (denied !== null) return denied;
  if (ctx.json === undefined) {
    const description = 'Invalid JSON payload received. Unexpected token.';
    return answer(400, rpcError(400, description, [badRequestDetail([{ description }])]));
  }
  const checked = validateSendRequest(ctx.json);
  if (!checked.ok) return answer(400, checked.body);

  const token = typeof checked.message.token === 'string' ? checked.message.token : null;
  const fault = ctx.faults.take(token, (f) => 'status' in f);
  if (fault !== null && 'status' in fault) {
    const message = fault.message ?? FCM_DEFAULT_MESSAGES[fault.errorStatus] ?? 'Request contains an invalid argument.';
    const headers: Record<string, string> = {};
    if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
    return {
      status: fault.status,
      headers,
      body: rpcError(fault.status, message, [fcmErrorDetail(fault.errorStatus)]),
      fault: 'status',
    };
  }
  // A dry run answers a fixed name (bloomberg.github.io/pushiko/fcm_responses, "Verification only").
  const id = checked.validateOnly ? 'fake_message_id' : ctx.newMessageId();
  return answer(200, { name: `projects/${ctx.projectId}/messages/${id}` });
}
