import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../config.ts';
import { localPath, unreachableOutcome, verifiedEmail } from './rules.ts';
import { openToken, sealToken } from './token-box.ts';

/** docs/rules.md "Sign-in through the identity provider": the pure rules and the OIDC_* settings. */

describe('next is a path of this site', () => {
  test('a path is kept; nothing given goes to /admin', () => {
    assert.equal(localPath('/admin/t/contoso?tab=runs'), '/admin/t/contoso?tab=runs');
    assert.equal(localPath(undefined), '/admin');
    assert.equal(localPath(''), '/admin');
  });
  test('another site, a scheme, a backslash or a control character is refused', () => {
    for (const next of [
      '//evil.test',
      '/\\evil.test',
      'https://evil.test',
      'javascript:alert(1)',
      'admin',
      '/a\nb',
      '/a\\b',
      `/${'a'.repeat(2048)}`,
    ]) {
      assert.equal(localPath(next), null, next);
    }
  });
});

describe('whose e-mail the provider vouches for', () => {
  const base = { iss: 'https://idp.test', sub: 's' };
  test('email_verified: true, or Entra ID xms_edov', () => {
    assert.equal(verifiedEmail({ ...base, email: 'A@B.test', email_verified: true }), 'a@b.test');
    assert.equal(verifiedEmail({ ...base, email: 'a@b.test', xms_edov: true }), 'a@b.test');
    assert.equal(verifiedEmail({ ...base, email: 'a@b.test', xms_edov: '1' }), 'a@b.test');
  });
  test('not vouched for: false, absent, a string "true", or no e-mail at all', () => {
    assert.equal(verifiedEmail({ ...base, email: 'a@b.test', email_verified: false }), null);
    assert.equal(verifiedEmail({ ...base, email: 'a@b.test' }), null);
    assert.equal(verifiedEmail({ ...base, email: 'a@b.test', email_verified: 'true' }), null);
    assert.equal(verifiedEmail({ ...base, email_verified: true }), null);
    assert.equal(verifiedEmail({ ...base, email: ' ', email_verified: true }), null);
  });
});

describe('a provider that cannot be reached', () => {
  test('is asked again a minute later, for at most one more interval past the last good answer', () => {
    const now = new Date('2026-11-29T12:00:00Z');
    const recent = unreachableOutcome(now, new Date('2026-11-29T11:00:00Z'), 60);
    assert.deepEqual(recent, { end: false, retryAt: new Date('2026-11-29T12:01:00Z') });
    assert.deepEqual(unreachableOutcome(now, new Date('2026-11-29T10:00:00Z'), 60), { end: true });
  });
});

describe('refresh tokens at rest', () => {
  test('sealed under the client secret: unreadable with another, or altered', () => {
    const sealed = sealToken('secret-one', 'refresh-token-value');
    assert.ok(!sealed.includes('refresh-token-value'));
    assert.equal(openToken('secret-one', sealed), 'refresh-token-value');
    assert.equal(openToken('secret-two', sealed), null);
    assert.equal(openToken('secret-one', `${sealed.slice(0, -2)}AA`), null);
    assert.equal(openToken('secret-one', 'not sealed'), null);
  });
});

describe('OIDC_* settings', () => {
  const complete = {
    TENANTPILOT_PUBLIC_URL: 'https://pilot.msp.test/',
    OIDC_ISSUER: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0',
    OIDC_CLIENT_ID: 'client-id',
    OIDC_CLIENT_SECRET: 'very-secret-value',
  };
  test('none without OIDC_ISSUER; a complete set gives the redirect URI and defaults', () => {
    assert.equal(loadConfig({}).oidc, null);
    const { oidc } = loadConfig(complete);
    assert.equal(oidc?.redirectUri, 'https://pilot.msp.test/auth/oidc/callback');
    assert.equal(oidc?.scopes, 'openid email profile offline_access');
    assert.equal(oidc?.recheckMinutes, 60);
    assert.equal(oidc?.required, false);
    assert.equal(
      loadConfig({ ...complete, OIDC_REQUIRED: 'true', OIDC_PROVIDER_NAME: 'Contoso Entra ID' }).oidc
        ?.providerName,
      'Contoso Entra ID',
    );
  });
  test('a half-set or wrong setting stops start-up with one line that never shows the secret', () => {
    const wrong: [Record<string, string>, RegExp][] = [
      [{ ...complete, OIDC_ISSUER: 'http://idp.test' }, /OIDC_ISSUER must be an https:\/\/ URL/],
      [{ ...complete, OIDC_ISSUER: 'not a url' }, /OIDC_ISSUER/],
      [{ ...complete, OIDC_CLIENT_ID: '' }, /OIDC_CLIENT_ID must be set/],
      [{ ...complete, OIDC_CLIENT_SECRET: '' }, /OIDC_CLIENT_SECRET must be set/],
      [{ ...complete, TENANTPILOT_PUBLIC_URL: '' }, /TENANTPILOT_PUBLIC_URL must be set with OIDC_ISSUER/],
      [{ ...complete, OIDC_REQUIRED: 'yes' }, /OIDC_REQUIRED must be true or false/],
      [{ OIDC_REQUIRED: 'true' }, /OIDC_REQUIRED=true needs a provider/],
      [{ OIDC_CLIENT_SECRET: 'very-secret-value' }, /OIDC_CLIENT_SECRET is set but OIDC_ISSUER is not/],
      [{ ...complete, OIDC_SCOPES: 'email profile' }, /OIDC_SCOPES must .* openid/],
      [
        { ...complete, OIDC_RECHECK_MINUTES: '61' },
        /OIDC_RECHECK_MINUTES must be a whole number from 1 to 60/,
      ],
      [{ ...complete, OIDC_PROVIDER_NAME: 'x'.repeat(61) }, /OIDC_PROVIDER_NAME/],
    ];
    for (const [env, message] of wrong) {
      assert.throws(
        () => loadConfig(env),
        (error: Error) =>
          error instanceof ConfigError &&
          message.test(error.message) &&
          !error.message.includes('very-secret-value'),
        JSON.stringify(env),
      );
    }
  });
});
