import { Secret, TOTP } from 'otpauth';
import type { Db } from '../../src/server/db/client.ts';
import { recoveryCodes, totpFactors } from '../../src/server/features/second-factor/tables.ts';
import { digestSecret } from '../../src/server/features/tenancy/credentials.ts';

/** The code an authenticator app shows for `secret`, `stepsFromNow` 30-second steps from now (-1, 0 or 1 pass). */
export function totpCode(secret: string, stepsFromNow = 0): string {
  const totp = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });
  return totp.generate({ timestamp: Date.now() + stepsFromNow * 30_000 });
}

/**
 * An enrolled authenticator for the user, written straight to the database (the enrolment itself is tested
 * through the API): its secret and two recovery codes, to compute and type codes with.
 */
export async function enrolTotp(db: Db, userId: number) {
  const secret = new Secret({ size: 20 }).base32;
  await db.insert(totpFactors).values({ userId, secret, confirmedAt: new Date() });
  const codes = ['aaaaa-bbbbb', 'ccccc-ddddd'];
  await db
    .insert(recoveryCodes)
    .values(codes.map((code) => ({ userId, codeHash: digestSecret(code.replace('-', '')) })));
  return { secret, recoveryCodes: codes };
}
