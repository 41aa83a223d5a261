import * as oidc from 'openid-client';
import type { OidcConfig } from '../../config-oidc.ts';
import type { IdentityClaims } from './rules.ts';

/**
 * The relying party, through openid-client (a certified library): discovery and the signing keys come
 * from OIDC_ISSUER; PKCE, state and nonce on every sign-in; the ID token's signature, issuer, audience,
 * nonce and times checked by the library, with a minute of clock skew. The signing keys are cached and
 * fetched again when a token names a key the cache does not hold (a rotated key).
 */

const CLOCK_TOLERANCE_SECONDS = 60;
/** Discovery is read again after a day, or at once after it failed. */
const DISCOVERY_TTL_MS = 24 * 3600_000;
const TIMEOUT_SECONDS = 10;

export interface AuthorizationRequest {
  url: URL;
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface SignedInTokens {
  claims: IdentityClaims;
  refreshToken: string | null;
}

export type RefreshOutcome =
  | { kind: 'accepted'; refreshToken: string | null; subject: string | null }
  | { kind: 'refused'; error: string }
  | { kind: 'unreachable'; error: string };

export interface OidcClient {
  authorizationRequest(): Promise<AuthorizationRequest>;
  /** Exchanges the code of the callback URL; throws when anything does not check out. */
  exchange(
    callbackUrl: URL,
    expected: { state: string; nonce: string; codeVerifier: string },
  ): Promise<SignedInTokens>;
  refresh(refreshToken: string): Promise<RefreshOutcome>;
}

/** What a failed exchange or refresh says, fit for a log: the OAuth error code or the library's code. */
export function describeOidcError(error: unknown): string {
  if (error instanceof oidc.ResponseBodyError || error instanceof oidc.AuthorizationResponseError) {
    return error.error;
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? code : error.name;
  }
  return 'unknown';
}

export function createOidcClient(settings: OidcConfig): OidcClient {
  let discovered: { at: number; configuration: Promise<oidc.Configuration> } | undefined;

  function configuration(): Promise<oidc.Configuration> {
    if (!discovered || Date.now() - discovered.at > DISCOVERY_TTL_MS) {
      const configuration = oidc
        .discovery(
          new URL(settings.issuer),
          settings.clientId,
          { client_secret: settings.clientSecret, [oidc.clockTolerance]: CLOCK_TOLERANCE_SECONDS },
          undefined,
          { timeout: TIMEOUT_SECONDS },
        )
        .then((found) => {
          found.timeout = TIMEOUT_SECONDS;
          // The ID token's signature is checked against the issuer's published keys, not only TLS to its
          // token endpoint (which OpenID Connect allows a client to rely on instead).
          oidc.enableNonRepudiationChecks(found);
          return found;
        });
      discovered = { at: Date.now(), configuration };
      // A failed discovery is not kept: the next sign-in asks the provider again.
      configuration.catch(() => {
        if (discovered?.configuration === configuration) discovered = undefined;
      });
    }
    return discovered.configuration;
  }

  return {
    async authorizationRequest() {
      const found = await configuration();
      const codeVerifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(found, {
        redirect_uri: settings.redirectUri,
        scope: settings.scopes,
        response_type: 'code',
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      return { url, state, nonce, codeVerifier };
    },

    async exchange(callbackUrl, expected) {
      const found = await configuration();
      const tokens = await oidc.authorizationCodeGrant(found, callbackUrl, {
        pkceCodeVerifier: expected.codeVerifier,
        expectedState: expected.state,
        expectedNonce: expected.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) throw new Error('the provider sent no ID token');
      return { claims: claims as IdentityClaims, refreshToken: tokens.refresh_token ?? null };
    },

    async refresh(refreshToken) {
      try {
        const tokens = await oidc.refreshTokenGrant(await configuration(), refreshToken);
        return {
          kind: 'accepted',
          refreshToken: tokens.refresh_token ?? null,
          subject: tokens.claims()?.sub ?? null,
        };
      } catch (error) {
        // An OAuth error answer (invalid_grant: revoked, expired, the person gone) is the provider saying no.
        if (error instanceof oidc.ResponseBodyError && error.status >= 400 && error.status < 500) {
          return { kind: 'refused', error: error.error };
        }
        return { kind: 'unreachable', error: describeOidcError(error) };
      }
    },
  };
}
