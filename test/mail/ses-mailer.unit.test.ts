/** createSesMailer with a stand-in SES client: the command it sends and how errors are mapped. */
import { SESClient, SESServiceException, SendRawEmailCommand, MessageRejected } from '@aws-sdk/client-ses';
import { describe, expect, it } from 'vitest';
import { MailerError, MailSendError, MailThrottledError, createSesMailer } from '../../functions/adapters/mailer/ses-mailer.js';

/** An SESClient whose send() is replaced: no network. */
function fakeSes(send: (command: unknown) => Promise<unknown>): SESClient {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const client = new SESClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  client.send = send as SESClient['send'];
  return client;
}

const serviceError = (name: string, httpStatusCode: number, fault: 'client' | 'server' = 'client') =>
  new SESServiceException({ name, $fault: fault, $metadata: { httpStatusCode }, message: `${name} happened` });

describe('createSesMailer', () => {
  it('sends the bytes as RawMessage.Data and returns the SES MessageId', async () => {
    const sent: unknown[] = [];
    const mailer = createSesMailer(fakeSes(async (command) => (sent.push(command), { MessageId: 'ses-123' })));
    const raw = Buffer.from('From: a@example.org\r\nTo: b@example.org\r\nSubject: x\r\n\r\nbody\r\n');
    await expect(mailer.sendRaw(raw)).resolves.toEqual({ messageId: 'ses-123' });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toBeInstanceOf(SendRawEmailCommand);
    const commandInput = (sent[0] as SendRawEmailCommand).input;
    expect(commandInput).toEqual({ RawMessage: { Data: raw } });
    expect(commandInput.RawMessage?.Data).toBe(raw);
  });

  it.each(['Throttling', 'ThrottlingException', 'MaxSendingRateExceeded'])('maps %s to MailThrottledError', async (name) => {
    const cause = serviceError(name, 400);
    const mailer = createSesMailer(fakeSes(async () => Promise.reject(cause)));
    const error = await mailer.sendRaw(Buffer.from('x')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailThrottledError);
    expect(error).toBeInstanceOf(MailerError);
    expect(error).toMatchObject({ name: 'MailThrottledError', code: name, cause });
  });

  it.each([
    ['MessageRejected', new MessageRejected({ $metadata: { httpStatusCode: 400 }, message: 'Email address is not verified.' }), false],
    ['AccountSendingPausedException', serviceError('AccountSendingPausedException', 400), false],
    ['InternalFailure', serviceError('InternalFailure', 500, 'server'), true],
  ] as const)('maps %s to MailSendError', async (code, cause, retryable) => {
    const mailer = createSesMailer(fakeSes(async () => Promise.reject(cause)));
    const error = await mailer.sendRaw(Buffer.from('x')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailSendError);
    expect(error).not.toBeInstanceOf(MailThrottledError);
    expect(error).toMatchObject({ name: 'MailSendError', code, retryable, cause });
  });

  it('maps a network failure to a retryable MailSendError with its code', async () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const mailer = createSesMailer(fakeSes(async () => Promise.reject(cause)));
    await expect(mailer.sendRaw(Buffer.from('x'))).rejects.toMatchObject({ name: 'MailSendError', code: 'ECONNREFUSED', retryable: true, cause });
  });

  it('refuses an answer without a MessageId', async () => {
    const mailer = createSesMailer(fakeSes(async () => ({})));
    await expect(mailer.sendRaw(Buffer.from('x'))).rejects.toBeInstanceOf(MailSendError);
  });
});
