/** Sending a composed mail: the port every mail of Convene goes out through. */
export interface Mailer {
  /** Sends raw MIME bytes (RFC 5322, CRLF); the recipients are read from To, Cc and Bcc. */
  sendRaw(raw: Buffer): Promise<{ messageId: string }>;
}

/** One base error for sending mail, with a typed subclass per way a send fails. */
export class MailerError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * The mail service refused the send for now: the sending rate or the daily quota is used up.
 * Nothing was sent; send it again later (SES advises waiting up to 10 minutes).
 */
export class MailThrottledError extends MailerError {
  constructor(
    /** The service's error code (SES: `Throttling`, `ThrottlingException`, `MaxSendingRateExceeded`). */
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * What a refusal is about: this one message (its content or recipient: SES `MessageRejected`,
 * `InvalidParameterValue`), or every send for now (the account or configuration set is paused,
 * the sender is not verified, the credentials are refused): sending anything else is no use.
 */
export type RefusalScope = 'message' | 'sender';

/** Any other failure: the mail was refused (`MessageRejected`, unverified sender...) or never arrived. */
export class MailSendError extends MailerError {
  constructor(
    /** The service's error code, or the error's name when the service did not answer. */
    readonly code: string,
    message: string,
    /** Whether the same send may succeed later: a server fault or no answer, not a refusal. */
    readonly retryable: boolean,
    options?: { cause?: unknown; scope?: RefusalScope },
  ) {
    super(message, options);
    this.scope = options?.scope ?? 'sender';
  }

  /** For a refusal (not retryable): whether it is about this message or about every send. */
  readonly scope: RefusalScope;
}
