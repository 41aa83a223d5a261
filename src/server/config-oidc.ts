/**
 * The OIDC_* settings (docs/rules.md "Sign-in through the identity provider"), read for config.ts, the
 * only reader of the environment. One provider per installation; none when OIDC_ISSUER is unset.
 */

export interface OidcConfig {
  /** The issuer identifier, exactly as the provider's discovery document states it. */
  issuer: string;
  clientId: string;
  /** Never logged, never in an error message. */
  clientSecret: string;
  /** Shown on the sign-in page: "Sign in with <name>". */
  providerName: string;
  /** Password sign-in off for everyone but the first-run owner; invitations accepted through the provider. */
  required: boolean;
  scopes: string;
  /** `{TENANTPILOT_PUBLIC_URL}/auth/oidc/callback`, registered at the provider. */
  redirectUri: string;
  /** How long a provider session goes without asking the provider again (at most an hour). */
  recheckMinutes: number;
}

export const MAX_OIDC_RECHECK_MINUTES = 60;
const DEFAULT_SCOPES = 'openid email profile offline_access';

type Env = Record<string, string | undefined>;

function optional(env: Env, name: string): string | null {
  const value = env[name]?.trim();
  return value ? value : null;
}

function readIssuer(value: string, fail: (message: string) => Error): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw fail(
      "OIDC_ISSUER must be the provider's issuer URL, such as https://login.microsoftonline.com/<tenant>/v2.0",
    );
  }
  // Tokens and the client secret travel to it: TLS only (a private CA goes in NODE_EXTRA_CA_CERTS).
  if (url.protocol !== 'https:' || url.search || url.hash || url.username || url.password) {
    throw fail('OIDC_ISSUER must be an https:// URL without query, fragment or credentials');
  }
  return value;
}

function readRecheckMinutes(env: Env, fail: (message: string) => Error): number {
  const raw = optional(env, 'OIDC_RECHECK_MINUTES');
  if (raw === null) return MAX_OIDC_RECHECK_MINUTES;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_OIDC_RECHECK_MINUTES) {
    throw fail(
      `OIDC_RECHECK_MINUTES must be a whole number from 1 to ${MAX_OIDC_RECHECK_MINUTES}, got "${raw}"`,
    );
  }
  return Number(raw);
}

/** The provider's settings, or null when none is configured; a half-configured provider stops start-up. */
export function readOidc(
  env: Env,
  publicUrl: string | null,
  fail: (message: string) => Error,
): OidcConfig | null {
  const issuer = optional(env, 'OIDC_ISSUER');
  const clientId = optional(env, 'OIDC_CLIENT_ID');
  const clientSecret = optional(env, 'OIDC_CLIENT_SECRET');
  const required = optional(env, 'OIDC_REQUIRED');
  if (required !== null && !['true', 'false'].includes(required)) {
    throw fail(`OIDC_REQUIRED must be true or false, got "${required}"`);
  }
  if (!issuer) {
    const stray = ['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_PROVIDER_NAME', 'OIDC_SCOPES'].find(
      (name) => optional(env, name) !== null,
    );
    if (stray) throw fail(`${stray} is set but OIDC_ISSUER is not: set the provider's issuer URL too`);
    if (required === 'true')
      throw fail(
        'OIDC_REQUIRED=true needs a provider: set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET',
      );
    return null;
  }
  if (!clientId)
    throw fail('OIDC_CLIENT_ID must be set with OIDC_ISSUER (the application id the provider gave you)');
  if (!clientSecret)
    throw fail('OIDC_CLIENT_SECRET must be set with OIDC_ISSUER (the client secret the provider gave you)');
  if (!publicUrl) {
    throw fail(
      'TENANTPILOT_PUBLIC_URL must be set with OIDC_ISSUER: the provider returns people to {TENANTPILOT_PUBLIC_URL}/auth/oidc/callback',
    );
  }
  const providerName = optional(env, 'OIDC_PROVIDER_NAME') ?? 'single sign-on';
  if (providerName.length > 60 || /[\r\n\t]/.test(providerName)) {
    throw fail('OIDC_PROVIDER_NAME must be at most 60 characters, on one line');
  }
  const scopes = (optional(env, 'OIDC_SCOPES') ?? DEFAULT_SCOPES).split(/\s+/);
  if (!scopes.includes('openid') || scopes.some((scope) => !/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(scope))) {
    throw fail('OIDC_SCOPES must be space-separated scopes including openid');
  }
  return {
    issuer: readIssuer(issuer, fail),
    clientId,
    clientSecret,
    providerName,
    required: required === 'true',
    scopes: scopes.join(' '),
    redirectUri: `${publicUrl}/auth/oidc/callback`,
    recheckMinutes: readRecheckMinutes(env, fail),
  };
}
