/**
 * How fast the dispatcher may send: a share of the account's SES maximum send rate
 * (GetSendQuota), or a fixed rate from the environment (the local SES endpoint does not
 * answer GetSendQuota).
 */
import { GetSendQuotaCommand, type SESClient } from '@aws-sdk/client-ses';

/** Mails per second; when set, GetSendQuota is not called. */
export const MAIL_SEND_RATE_ENV = 'MAIL_SEND_RATE';
/** Share of SES's MaxSendRate the dispatcher uses: room for confirmations sent by the API meanwhile. */
export const SEND_RATE_SHARE = 0.8;

export async function sendRateFrom(env: Record<string, string | undefined>, ses: SESClient): Promise<number> {
  const fixed = env[MAIL_SEND_RATE_ENV];
  if (fixed !== undefined) {
    const rate = Number(fixed);
    if (!(rate > 0)) throw new Error(`${MAIL_SEND_RATE_ENV} must be a number above zero, got ${JSON.stringify(fixed)}`);
    return rate;
  }
  const { MaxSendRate } = await ses.send(new GetSendQuotaCommand({}));
  if (!MaxSendRate || MaxSendRate <= 0) throw new Error(`SES reported no usable MaxSendRate (${MaxSendRate})`);
  return Math.max(1, MaxSendRate * SEND_RATE_SHARE);
}
