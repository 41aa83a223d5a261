import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import { acceptedStep, normalizeTotpCode, TOTP_DIGITS, TOTP_PERIOD_SECONDS, TOTP_WINDOW } from './rules.ts';

/** RFC 6238 through otpauth: SHA-1, 6 digits, 30 seconds — what every authenticator app reads. */
function totpOf(secret: string, label = 'TenantPilot'): TOTP {
  return new TOTP({
    issuer: 'TenantPilot',
    label,
    algorithm: 'SHA1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(secret),
  });
}

/** 160 random bits, base32, as RFC 4226 recommends. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The enrolment's otpauth:// URI and its QR code, drawn here (an SVG data URL): the secret goes nowhere else. */
export async function enrolmentCode(secret: string, accountName: string) {
  const otpauthUri = totpOf(secret, accountName).toString();
  const svg = await QRCode.toString(otpauthUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { otpauthUri, qrCode: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` };
}

/** The time step the code is valid for (within one step either side of now), or null. */
export function matchingStep(secret: string, code: string, nowMs = Date.now()): number | null {
  const delta = totpOf(secret).validate({
    token: normalizeTotpCode(code),
    timestamp: nowMs,
    window: TOTP_WINDOW,
  });
  return delta === null ? null : acceptedStep(nowMs, delta);
}
