import nodemailer from 'nodemailer';
import type { SmtpConfig } from '../config.ts';
import { settleWithin } from '../core/deadline.ts';

/** A plain-text message to one person. */
export interface MailMessage {
  to: { name: string; address: string };
  subject: string;
  text: string;
}

/** Sent means the mail server accepted the message; it says nothing about delivery. */
export type MailResult = { sent: true } | { sent: false; reason: string };

/** Sends mail and never throws: a failure is an answer (`sent: false`) for the caller to report. */
export interface Mailer {
  send(message: MailMessage): Promise<MailResult>;
}

/** Connect, greeting and each socket wait: a request that mails waits at most about this long per step. */
const STEP_TIMEOUT_MS = 5_000;
/** The whole exchange, whatever the server does between steps. */
const TOTAL_TIMEOUT_MS = 10_000;

const TIMED_OUT_REASON = 'mail not sent (ETIMEDOUT)';

/** Why sending failed, in words fit for a log: the server's code and a short reason, never the message. */
function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return 'the mail server could not be reached';
  const { code, responseCode } = error as Error & { code?: string; responseCode?: number };
  const detail = [code, responseCode].filter((part) => part !== undefined).join(' ');
  return detail ? `mail not sent (${detail})` : 'mail not sent';
}

/** One mailer per installation, or null when SMTP is not configured (SMTP_URL, SMTP_FROM). */
export function createMailer(smtp: SmtpConfig | null): Mailer | null {
  if (!smtp) return null;
  const transport = nodemailer.createTransport({
    url: smtp.url,
    connectionTimeout: STEP_TIMEOUT_MS,
    greetingTimeout: STEP_TIMEOUT_MS,
    socketTimeout: STEP_TIMEOUT_MS,
  });
  return {
    send(message) {
      const sending = async (): Promise<MailResult> => {
        try {
          await transport.sendMail({
            from: smtp.from,
            to: message.to,
            subject: message.subject,
            text: message.text,
          });
          return { sent: true };
        } catch (error) {
          return { sent: false, reason: reasonOf(error) };
        }
      };
      return settleWithin(sending(), TOTAL_TIMEOUT_MS, () => ({ sent: false, reason: TIMED_OUT_REASON }));
    },
  };
}
