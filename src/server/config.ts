import path from 'node:path';
import { type OidcConfig, readOidc } from './config-oidc.ts';

export const deskProviders = [
  'webhook',
  'zendesk',
  'freshdesk',
  'jira_service_management',
  'halopsa',
  'connectwise_psa',
  'autotask',
] as const;
export type DeskProvider = (typeof deskProviders)[number];

export const MAX_DESK_TIMEOUT_MS = 5000;

export type DatabaseConfig = { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };

export interface DeskConfig {
  provider: DeskProvider;
  url: string | null;
  timeoutMs: number;
  email: string | null;
  apiToken: string | null;
  secret: string | null;
  serviceDeskId: string | null;
  requestTypeId: string | null;
  /** HaloPSA: the authorisation server (`…/auth`) its client-credentials token comes from. */
  authUrl: string | null;
  /** HaloPSA's API application id; ConnectWise's `clientId` header (the developer's client id). */
  clientId: string | null;
  /** HaloPSA's API application secret. */
  clientSecret: string | null;
  /** HaloPSA hosted: the tenant name sent with the token request. */
  haloTenant: string | null;
  /** ConnectWise: the company identifier people sign in with (first half of the API user name). */
  companyId: string | null;
  publicKey: string | null;
  privateKey: string | null;
  /** ConnectWise: the service board tickets go to. */
  boardId: string | null;
  /** Autotask: the tracking identifier of the API user's integration (header ApiIntegrationCode). */
  apiIntegrationCode: string | null;
  /** Autotask: the API user's user name (header UserName); its secret is SUPPORT_DESK_SECRET. */
  username: string | null;
  /** Autotask: the queue tickets go to. */
  queueId: string | null;
}

export interface Config {
  database: DatabaseConfig;
  host: string;
  port: number;
  /** Base URL people use to reach this installation; used for links placed in desk tickets. */
  publicUrl: string | null;
  /** Honour X-Forwarded-* from a load balancer (needed for Secure cookies behind a TLS-terminating proxy). */
  trustProxy: boolean;
  logLevel: string;
  sessionTtlHours: number;
  signInRateLimit: { max: number; windowMs: number };
  desk: DeskConfig | null;
  deskTimeoutMs: number;
  /** Where invitations are e-mailed from; null when SMTP is not configured (the link is only shown). */
  smtp: SmtpConfig | null;
  /** The company's identity provider (OIDC_*); null when none is configured. */
  oidc: OidcConfig | null;
}

export interface SmtpConfig {
  /** `smtp://` or `smtps://`, with credentials when the server needs them: never logged. */
  url: string;
  /** The From header: `address` or `Name <address>`. */
  from: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

function positiveInt(env: Env, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) {
    throw new ConfigError(`${name} must be a positive whole number, got "${raw}"`);
  }
  const value = Number(raw);
  if (value > max) throw new ConfigError(`${name} must be at most ${max}, got ${value}`);
  return value;
}

function optional(env: Env, name: string): string | null {
  const value = env[name]?.trim();
  return value ? value : null;
}

function readDatabase(env: Env): DatabaseConfig {
  const url = optional(env, 'DATABASE_URL');
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
    }
    return { kind: 'postgres', url };
  }
  return { kind: 'pglite', dataDir: path.resolve(optional(env, 'TENANTPILOT_DATA_DIR') ?? '.tenantpilot') };
}

function readDesk(env: Env, timeoutMs: number): DeskConfig | null {
  const provider = optional(env, 'SUPPORT_DESK_PROVIDER');
  if (!provider) return null;
  if (!(deskProviders as readonly string[]).includes(provider)) {
    throw new ConfigError(
      `SUPPORT_DESK_PROVIDER must be one of ${deskProviders.join(', ')}, got "${provider}"`,
    );
  }
  const url = optional(env, 'SUPPORT_DESK_URL');
  if (url && !/^https?:\/\/[^\s/]+/.test(url)) {
    throw new ConfigError('SUPPORT_DESK_URL must be an absolute http:// or https:// URL');
  }
  return {
    provider: provider as DeskProvider,
    url,
    timeoutMs,
    email: optional(env, 'SUPPORT_DESK_EMAIL'),
    apiToken: optional(env, 'SUPPORT_DESK_API_TOKEN'),
    secret: optional(env, 'SUPPORT_DESK_SECRET'),
    serviceDeskId: optional(env, 'SUPPORT_DESK_SERVICE_DESK_ID'),
    requestTypeId: optional(env, 'SUPPORT_DESK_REQUEST_TYPE_ID'),
    authUrl: deskUrlSetting(env, 'SUPPORT_DESK_AUTH_URL'),
    clientId: optional(env, 'SUPPORT_DESK_CLIENT_ID'),
    clientSecret: optional(env, 'SUPPORT_DESK_CLIENT_SECRET'),
    haloTenant: optional(env, 'SUPPORT_DESK_HALO_TENANT'),
    companyId: optional(env, 'SUPPORT_DESK_COMPANY_ID'),
    publicKey: optional(env, 'SUPPORT_DESK_PUBLIC_KEY'),
    privateKey: optional(env, 'SUPPORT_DESK_PRIVATE_KEY'),
    boardId: deskIdSetting(env, 'SUPPORT_DESK_BOARD_ID'),
    apiIntegrationCode: optional(env, 'SUPPORT_DESK_API_INTEGRATION_CODE'),
    username: optional(env, 'SUPPORT_DESK_USERNAME'),
    queueId: deskIdSetting(env, 'SUPPORT_DESK_QUEUE_ID'),
  };
}

function deskUrlSetting(env: Env, name: string): string | null {
  const value = optional(env, name);
  if (value && !/^https?:\/\/[^\s/]+/.test(value)) {
    throw new ConfigError(`${name} must be an absolute http:// or https:// URL`);
  }
  return value;
}

/** A PSA's board or queue: a positive whole number, as the desk numbers them. */
function deskIdSetting(env: Env, name: string): string | null {
  const value = optional(env, name);
  if (value && !/^[1-9]\d{0,17}$/.test(value)) {
    throw new ConfigError(`${name} must be a positive whole number (the desk's id), got "${value}"`);
  }
  return value;
}

function readPublicUrl(env: Env): string | null {
  const value = optional(env, 'TENANTPILOT_PUBLIC_URL');
  if (value && !/^https?:\/\/[^\s/]+/.test(value)) {
    throw new ConfigError('TENANTPILOT_PUBLIC_URL must be an absolute http:// or https:// URL');
  }
  return value ? value.replace(/\/+$/, '') : null;
}

const ADDRESS = /^[^\s<>@]+@[^\s<>@]+$/;

function readSmtp(env: Env): SmtpConfig | null {
  const url = optional(env, 'SMTP_URL');
  const from = optional(env, 'SMTP_FROM');
  if (!url && !from) return null;
  if (!url) throw new ConfigError('SMTP_URL must be set when SMTP_FROM is (smtp://host:port or smtps://…)');
  if (!from) throw new ConfigError('SMTP_FROM must be set when SMTP_URL is (an address, or Name <address>)');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // The value may hold a password: the message names the variable, never the value.
    throw new ConfigError('SMTP_URL must be a URL such as smtp://mail.example.com:587 or smtps://…');
  }
  if (!['smtp:', 'smtps:'].includes(parsed.protocol) || parsed.hostname === '') {
    throw new ConfigError('SMTP_URL must start with smtp:// or smtps:// and name a host');
  }
  const address = /<([^<>]*)>$/.exec(from)?.[1] ?? from;
  if (!ADDRESS.test(address.trim()) || /[\r\n]/.test(from)) {
    throw new ConfigError(`SMTP_FROM must be an e-mail address or Name <address>, got "${from}"`);
  }
  return { url, from };
}

/** The only reader of process.env. Throws ConfigError with a message fit for one line on a terminal. */
export function loadConfig(env: Env = process.env): Config {
  const deskTimeoutMs = positiveInt(env, 'SUPPORT_DESK_TIMEOUT_MS', MAX_DESK_TIMEOUT_MS, MAX_DESK_TIMEOUT_MS);
  const publicUrl = readPublicUrl(env);
  return {
    database: readDatabase(env),
    host: optional(env, 'HOST') ?? '127.0.0.1',
    port: positiveInt(env, 'PORT', 3000, 65535),
    publicUrl,
    trustProxy: optional(env, 'TENANTPILOT_TRUST_PROXY') === 'true',
    logLevel: optional(env, 'LOG_LEVEL') ?? 'info',
    sessionTtlHours: positiveInt(env, 'TENANTPILOT_SESSION_TTL_HOURS', 12, 24 * 90),
    signInRateLimit: {
      max: positiveInt(env, 'TENANTPILOT_SIGN_IN_MAX_ATTEMPTS', 10),
      windowMs: positiveInt(env, 'TENANTPILOT_SIGN_IN_WINDOW_MS', 15 * 60 * 1000),
    },
    desk: readDesk(env, deskTimeoutMs),
    deskTimeoutMs,
    smtp: readSmtp(env),
    oidc: readOidc(env, publicUrl, (message) => new ConfigError(message)),
  };
}
