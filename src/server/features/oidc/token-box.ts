import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Refresh tokens are stored sealed (AES-256-GCM) under a key derived from OIDC_CLIENT_SECRET: a copy of
 * the database alone gives nobody a token to use. A new client secret makes old tokens unreadable, and
 * those sessions end at their next re-check.
 */
function keyOf(clientSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', clientSecret, 'tenantpilot', 'oidc refresh token', 32));
}

export function sealToken(clientSecret: string, token: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(clientSecret), iv);
  const sealed = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), sealed].map((part) => part.toString('base64url')).join('.');
}

/** The token, or null when it was sealed under another secret (or altered). */
export function openToken(clientSecret: string, sealed: string): string | null {
  const [iv, tag, data] = sealed.split('.').map((part) => Buffer.from(part, 'base64url'));
  if (!iv || !tag || !data) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(clientSecret), iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
