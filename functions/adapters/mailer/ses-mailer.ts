/**
 * The Mailer on Amazon SES (API v1 SendRawEmail): the bytes go out as composed, SES takes the
 * recipients from the To/Cc/Bcc headers. SES replaces the Message-ID header with its own
 * (`<MessageId>@email.amazonses.com`), so the MessageId returned is the one to keep.
 *
 * The SDK client's own retry strategy still applies before an error reaches us (standard
 * mode retries throttling); what it gives up on is mapped to MailThrottledError or
 * MailSendError here.
 */
import { SendRawEmailCommand, type SESClient } from '@aws-sdk/client-ses';
import { MailSendError, MailThrottledError, type Mailer } from './mailer.js';

export { MailerError, MailSendError, MailThrottledError, type Mailer } from './mailer.js';

/** Error codes with which SES says "not now": sending rate or daily quota exceeded. */
const THROTTLING_CODES: ReadonlySet<string> = new Set(['Throttling', 'ThrottlingException', 'MaxSendingRateExceeded']);

/**
 * Refusals of one message (its content or its recipients). Every other refusal
 * (AccountSendingPausedException, ConfigurationSetSendingPausedException,
 * MailFromDomainNotVerifiedException, ConfigurationSetDoesNotExistException, AccessDenied...)
 * is about the sender: no other mail would go either, and it is no member's fault.
 */
const MESSAGE_REFUSALS: ReadonlySet<string> = new Set(['MessageRejected', 'InvalidParameterValue']);

export interface SesMailerOptions {
  /** The SES configuration set that publishes bounces and complaints (infra/stack/ses-feedback.ts). */
  readonly configurationSet?: string;
}

export function createSesMailer(ses: SESClient, options: SesMailerOptions = {}): Mailer {
  const configuration = options.configurationSet ? { ConfigurationSetName: options.configurationSet } : {};
  return {
    async sendRaw(raw: Buffer): Promise<{ messageId: string }> {
      let messageId: string | undefined;
      try {
        ({ MessageId: messageId } = await ses.send(new SendRawEmailCommand({ RawMessage: { Data: raw }, ...configuration })));
      } catch (err) {
        throw mapSesError(err);
      }
      if (!messageId) throw new MailSendError('NoMessageId', 'SES accepted the mail but returned no MessageId', false);
      return { messageId };
    },
  };
}

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $fault?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

function mapSesError(err: unknown): MailThrottledError | MailSendError {
  const shape: SdkErrorShape = typeof err === 'object' && err !== null ? (err as SdkErrorShape) : {};
  const name = typeof shape.name === 'string' ? shape.name : 'Error';
  const detail = typeof shape.message === 'string' && shape.message ? shape.message : String(err);
  if (THROTTLING_CODES.has(name)) {
    return new MailThrottledError(name, `SES throttled the send (${name}): ${detail}`, { cause: err });
  }
  const status = typeof shape.$metadata?.httpStatusCode === 'number' ? shape.$metadata.httpStatusCode : undefined;
  // A node network error (no HTTP answer at all) carries its code, e.g. ECONNREFUSED.
  const code = status === undefined && typeof shape.code === 'string' ? shape.code : name;
  const retryable = Boolean(shape.$retryable) || shape.$fault === 'server' || (status !== undefined ? status >= 500 : true);
  return new MailSendError(code, `SES did not send the mail (${code}${status ? `, HTTP ${status}` : ''}): ${detail}`, retryable, {
    cause: err,
    scope: MESSAGE_REFUSALS.has(code) ? 'message' : 'sender',
  });
}
