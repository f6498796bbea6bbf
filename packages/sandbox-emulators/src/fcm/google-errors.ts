// Google's error bodies: the `google.rpc.Status` JSON of FCM v1 and the OAuth2 token endpoint's errors.
//
// Shapes as Google sends them (see https://firebase.google.com/docs/cloud-messaging/error-codes and
// https://cloud.google.com/apis/design/errors), e.g. for a dead token (firebase-admin-go#179, 2018; the
// same body in firebase-admin-java#972, 2024):
//   404 {"error":{"code":404,"message":"Requested entity was not found.","status":"NOT_FOUND",
//        "details":[{"@type":"type.googleapis.com/google.firebase.fcm.v1.FcmError","errorCode":"UNREGISTERED"}]}}

/** The canonical status Google pairs with each HTTP code (google.rpc.Code). */
const CANONICAL_STATUS: Readonly<Record<number, string>> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  413: 'INVALID_ARGUMENT',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'NOT_IMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

export function canonicalStatus(code: number): string {
  return CANONICAL_STATUS[code] ?? 'UNKNOWN';
}

/** Google's default `message` for each FCM error code, as its servers word them. */
export const FCM_DEFAULT_MESSAGES: Readonly<Record<string, string>> = {
  UNREGISTERED: 'Requested entity was not found.',
  // firebase-admin-java#1064 (2025), healthjoy/async-firebase#15.
  INVALID_ARGUMENT: 'The registration token is not a valid FCM registration token',
  // Google's canonical text for RESOURCE_EXHAUSTED.
  QUOTA_EXCEEDED: 'Resource has been exhausted (e.g. check quota).',
  // MatthieuLemoine/electron-push-receiver#80.
  UNAVAILABLE: 'The service is currently unavailable.',
  // bloomberg.github.io/pushiko/fcm_responses.
  INTERNAL: 'Internal error encountered.',
  SENDER_ID_MISMATCH: 'SenderId mismatch',
  THIRD_PARTY_AUTH_ERROR: 'Auth error from APNS or Web Push Service',
};

export interface RpcErrorBody {
  error: { code: number; message: string; status: string; details?: unknown[] };
}

export function rpcError(code: number, message: string, details?: unknown[]): RpcErrorBody {
  const error: RpcErrorBody['error'] = { code, message, status: canonicalStatus(code) };
  if (details !== undefined && details.length > 0) error.details = details;
  return { error };
}

export function fcmErrorDetail(errorCode: string): { '@type': string; errorCode: string } {
  return { '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode };
}

export interface FieldViolation {
  field?: string;
  description: string;
}

export function badRequestDetail(violations: FieldViolation[]): { '@type': string; fieldViolations: FieldViolation[] } {
  return { '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: violations };
}

const SEND_METHOD = { method: 'google.firebase.fcm.v1.FcmService.SendMessage', service: 'fcm.googleapis.com' };

export function errorInfoDetail(reason: string, metadata: Record<string, string> = SEND_METHOD): object {
  return { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason, domain: 'googleapis.com', metadata };
}

const CREDENTIAL_HELP =
  'Expected OAuth 2 access token, login cookie or other valid authentication credential. ' +
  'See https://developers.google.com/identity/sign-in/web/devconsole-project.';

/** 401 without any credential (Edujugon/PushNotification#80, beste/laravel-firebase#254). */
export function credentialsMissing(): RpcErrorBody {
  return rpcError(401, `Request is missing required authentication credential. ${CREDENTIAL_HELP}`, [
    errorInfoDetail('CREDENTIALS_MISSING'),
  ]);
}

/** 401 with a credential Google does not accept: unknown, expired or not a bearer token. */
export function credentialsInvalid(reason: 'ACCESS_TOKEN_EXPIRED' | 'ACCESS_TOKEN_TYPE_UNSUPPORTED'): RpcErrorBody {
  return rpcError(401, `Request had invalid authentication credentials. ${CREDENTIAL_HELP}`, [errorInfoDetail(reason)]);
}

/** 403 for a project the service account has no rights on (xtrinch/fcm-django#213). */
export function permissionDenied(projectId: string): RpcErrorBody {
  const message =
    `Permission 'cloudmessaging.messages.create' denied on resource ` +
    `'//cloudresourcemanager.googleapis.com/projects/${projectId}' (or it may not exist).`;
  return rpcError(403, message, [
    errorInfoDetail('IAM_PERMISSION_DENIED', {
      permission: 'cloudmessaging.messages.create',
      resource: `projects/${projectId}`,
    }),
  ]);
}

/** 403 for a token minted without an FCM scope. */
export function insufficientScopes(): RpcErrorBody {
  return rpcError(403, 'Request had insufficient authentication scopes.', [
    errorInfoDetail('ACCESS_TOKEN_SCOPE_INSUFFICIENT'),
  ]);
}

/** The OAuth2 token endpoint's error body (RFC 6749 §5.2), as oauth2.googleapis.com words it. */
export interface OAuthErrorBody {
  error: string;
  error_description: string;
}

export function oauthError(error: string, description: string): OAuthErrorBody {
  return { error, error_description: description };
}
