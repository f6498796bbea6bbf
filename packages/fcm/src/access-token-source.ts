// OAuth2 access tokens for a service account: google-auth-library's JWT client, sent to the key file's
// `token_uri` (docs/decisions/0012-fcm-token-uri.md), cached by the library until 5 minutes before expiry.
import { Agent as HttpsAgent } from 'node:https';
import { gaxios, JWT } from 'google-auth-library';
import type { ServiceAccount } from '@pushwire/core';

/** Where google-auth-library 10.9 sends every grant, whatever the key file says. */
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
export const FCM_SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';

export interface AccessTokenSourceOptions {
  serviceAccount: ServiceAccount;
  /** Extra trust anchor (PEM) for the token endpoint; null = the default CA list. */
  caPem: string | null;
  /** Deadline of one token request, ms. */
  timeoutMs: number;
}

export class AccessTokenSource {
  /** Where the grants go: the key file's `token_uri` (Google's URL when it names none). */
  readonly tokenUri: string;
  private readonly agent: HttpsAgent | undefined;
  private client: JWT;

  constructor(private readonly options: AccessTokenSourceOptions) {
    const uri = options.serviceAccount.token_uri;
    this.tokenUri = typeof uri === 'string' && uri !== '' ? uri : GOOGLE_TOKEN_URL;
    this.agent = options.caPem === null ? undefined : new HttpsAgent({ ca: options.caPem, keepAlive: true });
    this.client = this.createClient();
  }

  private createClient(): JWT {
    const sa = this.options.serviceAccount;
    const transporter = new gaxios.Gaxios({
      timeout: this.options.timeoutMs,
      // One attempt per token request: the worker retries failed sends on Sylk's schedule.
      retryConfig: { retry: 0, noResponseRetries: 0 },
      ...(this.agent === undefined ? {} : { agent: this.agent }),
    });
    const tokenUri = this.tokenUri;
    if (tokenUri !== GOOGLE_TOKEN_URL) {
      // The library's public transporter hook: only the grant request, to Google's exact URL, is redirected.
      transporter.interceptors.request.add({
        resolved: async (request) => {
          if (request.url.href === GOOGLE_TOKEN_URL) request.url = new URL(tokenUri);
          return request;
        },
      });
    }
    return new JWT({
      email: sa.client_email,
      key: sa.private_key,
      keyId: sa.private_key_id,
      scopes: [FCM_SCOPE],
      transporter,
    });
  }

  /** A valid access token: the cached one, or a new one from the token endpoint. */
  async getToken(): Promise<string> {
    const { token } = await this.client.getAccessToken();
    if (typeof token !== 'string' || token === '') throw new Error('the token endpoint answered no access_token');
    return token;
  }

  /**
   * Drops the cached token after FCM refused it (401). Only when it is still the cached one, so that a
   * burst of refusals of the same stale token causes a single new grant.
   */
  invalidate(staleToken: string): void {
    if (this.client.credentials.access_token === staleToken) this.client = this.createClient();
  }

  close(): void {
    this.agent?.destroy();
  }
}
