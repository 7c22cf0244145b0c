import { DefaultTransporter, JWT } from 'google-auth-library';
import type { RegistryConnection } from '../../connection/types';
import { RegistryError, snippet } from '../../errors';

const SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
/** The token URLs the library posts service-account assertions to. */
const LIBRARY_TOKEN_URLS = new Set([
  'https://www.googleapis.com/oauth2/v4/token',
  'https://oauth2.googleapis.com/token',
]);
/** The registry's user name for an OAuth access token. */
export const ACCESS_TOKEN_USER = 'oauth2accesstoken';

interface ServiceAccountKey {
  client_email?: string;
  private_key?: string;
  private_key_id?: string;
  token_uri?: string;
}

/** Sends the library's token requests to the key's own `token_uri` (or the configured one). */
class TokenUriTransporter extends DefaultTransporter {
  constructor(private readonly tokenUri: string) {
    super();
  }

  request<T>(opts: Parameters<DefaultTransporter['request']>[0]) {
    const url = String(opts.url ?? '');
    return super.request<T>(
      LIBRARY_TOKEN_URLS.has(url) ? { ...opts, url: this.tokenUri } : opts,
    );
  }
}

/**
 * OAuth access tokens for Google Cloud: from a service account's JSON key (the connection's
 * password) through `google-auth-library`, which signs the assertion and renews the token
 * before it expires, or an access token given as the connection's token, used as is.
 */
export class GoogleCredentials {
  private readonly jwt?: JWT;

  constructor(
    private readonly connection: RegistryConnection,
    tokenUri: string | undefined,
  ) {
    const keyJson = connection.auth.password;
    if (!keyJson) return;
    let key: ServiceAccountKey;
    try {
      key = JSON.parse(keyJson);
    } catch {
      throw new RegistryError(
        'unauthorized',
        "The password is not a service account's JSON key: paste the whole key file",
      );
    }
    this.jwt = new JWT({
      email: key.client_email,
      key: key.private_key,
      keyId: key.private_key_id,
      scopes: [SCOPE],
      transporter: new TokenUriTransporter(
        tokenUri ?? key.token_uri ?? 'https://oauth2.googleapis.com/token',
      ),
    });
  }

  /** A current access token; the library renews it before it expires. */
  async accessToken(): Promise<string> {
    const given = this.connection.auth.token;
    if (!this.jwt) {
      if (!given) {
        throw new RegistryError(
          'unauthorized',
          "Give a service account's JSON key as the password, or an access token as the token",
        );
      }
      return given;
    }
    try {
      const { token } = await this.jwt.getAccessToken();
      if (!token) throw new Error('no access token');
      return token;
    } catch (error) {
      throw new RegistryError(
        'unauthorized',
        `Google refused the service account key: check that the key is still active (IAM → Service accounts → Keys) (${snippet(
          String((error as Error)?.message ?? error),
        )})`,
      );
    }
  }
}
