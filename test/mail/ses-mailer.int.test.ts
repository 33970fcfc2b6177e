/**
 * The SES mailer through the real @aws-sdk/client-ses: a composed confirmation mail sent to
 * aws-ses-v2-local comes back from its store (GET /store), and SES error answers from a stub
 * endpoint come back as typed errors. The store keeps only mailparser's reading of the mail
 * (STACK trap 5), so the MIME itself is tested in confirmation-mail.unit.test.ts.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SESClient } from '@aws-sdk/client-ses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS } from '../../infra/local/clients.js';
import { MailSendError, MailThrottledError, createSesMailer } from '../../functions/adapters/mailer/ses-mailer.js';
import { composeConfirmationMail, type ConfirmationMailInput } from '../../functions/mail/confirmation-mail.js';
import { clients, localStackInfo } from '../support/local.js';

interface StoredMail {
  messageId: string;
  from: string;
  replyTo: string[];
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { text?: string; html?: string };
  attachments: unknown[];
  at: number;
}

const CONFIRM_URL = 'https://convene.example.org/registrations/confirm?token=int.test&x=1';

function mail(email: string): ConfirmationMailInput {
  return {
    to: { email, name: 'Nadia Haddad' },
    language: 'fr',
    memberTimeZone: 'Asia/Jerusalem',
    series: {
      title: { en: 'Care <Economy>', fr: 'L’économie du soin <script>' },
      languages: ['en', 'fr'],
      organiser: { name: 'Training Centre', email: 'training@example.org' },
      kind: 'virtual-dialogue',
    },
    sessions: [
      { title: { en: 'Live webinar' }, startsAt: '2027-05-03T14:00:00Z', endsAt: '2027-05-03T15:00:00Z', timeZone: 'America/New_York', status: 'scheduled' },
    ],
    confirmUrl: CONFIRM_URL,
    unsubscribeUrl: 'https://convene.example.org/registrations/unregister?token=int.test',
    unsubscribeMailto: 'mailto:unsubscribe@convene.example.org?subject=int.test',
    manageUrl: 'https://convene.example.org/manage?token=int.test',
  };
}

describe('createSesMailer on aws-ses-v2-local', () => {
  it('sends a composed confirmation mail that the local SES stores with subject, recipient and both bodies', async () => {
    const to = `nadia+${Date.now()}@example.org`;
    const raw = await composeConfirmationMail(mail(to), { from: 'Convene <no-reply@convene.example.org>', messageIdDomain: 'convene.example.org' });

    const { messageId } = await createSesMailer(clients().ses).sendRaw(raw);
    expect(messageId).toMatch(/\S/);

    const response = await fetch(`${localStackInfo().ses.endpoint}/store`);
    expect(response.status).toBe(200);
    const { emails } = (await response.json()) as { emails: StoredMail[] };
    const stored = emails.filter((e) => e.messageId === messageId);
    expect(stored).toHaveLength(1);
    const email = stored[0]!;

    expect(email.subject).toBe('Veuillez confirmer votre inscription\u00a0: L’économie du soin <script>');
    expect(email.from).toBe('"Convene" <no-reply@convene.example.org>');
    expect(email.replyTo).toEqual(['"Training Centre" <training@example.org>']);
    expect(email.destination).toEqual({ to: [`"Nadia Haddad" <${to}>`], cc: [], bcc: [] });
    expect(email.body.text).toContain('Merci pour votre inscription au dialogue virtuel «\u00a0L’économie du soin <script>\u00a0»');
    expect(email.body.text?.split(/\r?\n/)).toContain(CONFIRM_URL);
    expect(email.body.text).toContain('lundi 3 mai 2027, 17:00–18:00 (heure de Asia/Jerusalem) · 10:00 à America/New_York');
    expect(email.body.html).toContain(`<a href="${CONFIRM_URL.replace('&', '&amp;')}"`);
    expect(email.body.html).toContain('L’économie du soin &lt;script&gt;');
    expect(email.body.html).not.toContain('<script');
    expect(email.attachments).toEqual([]);
  });
});

describe('createSesMailer error mapping through the SDK (stub SES endpoint)', () => {
  let server: Server;
  let endpoint: string;
  /** The SES query-API error the stub answers with next. */
  let answer: { status: number; code: string; message: string };
  let requests = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests += 1;
      req.resume();
      req.on('end', () => {
        res.writeHead(answer.status, { 'Content-Type': 'text/xml' });
        res.end(
          `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>${answer.status >= 500 ? 'Receiver' : 'Sender'}</Type>` +
            `<Code>${answer.code}</Code><Message>${answer.message}</Message></Error><RequestId>stub-1</RequestId></ErrorResponse>`,
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
  });

  // maxAttempts 1: the SDK's own retries (which include throttling) are not under test here.
  const mailer = () =>
    createSesMailer(new SESClient({ region: 'us-east-1', credentials: LOCAL_CREDENTIALS, endpoint, maxAttempts: 1 }));

  it.each([
    ['Throttling', 'Maximum sending rate exceeded.'],
    ['Throttling', 'Daily message quota exceeded.'],
    ['ThrottlingException', 'Rate exceeded'],
    ['MaxSendingRateExceeded', 'Maximum sending rate exceeded.'],
  ])('an SES %s answer (%s) is a MailThrottledError', async (code, message) => {
    answer = { status: 400, code, message };
    const error = await mailer().sendRaw(Buffer.from('From: a@example.org\r\n\r\nx')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailThrottledError);
    expect(error).toMatchObject({ code });
    expect((error as Error).message).toContain(message);
  });

  it('a MessageRejected answer is a MailSendError that is not retryable', async () => {
    answer = { status: 400, code: 'MessageRejected', message: 'Email address is not verified.' };
    const before = requests;
    const error = await mailer().sendRaw(Buffer.from('From: a@example.org\r\n\r\nx')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailSendError);
    expect(error).toMatchObject({ code: 'MessageRejected', retryable: false, scope: 'message' });
    expect(requests - before).toBe(1);
  });

  it.each([
    ['AccountSendingPausedException', 'Email sending is disabled for your entire Amazon SES account.'],
    ['ConfigurationSetSendingPausedException', 'Email sending is disabled for the configuration set.'],
    ['MailFromDomainNotVerifiedException', 'The MAIL FROM domain is not verified.'],
  ])('an SES %s answer is a refusal of every send, not of this message', async (code, message) => {
    answer = { status: 400, code, message };
    const error = await mailer().sendRaw(Buffer.from('From: a@example.org\r\n\r\nx')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailSendError);
    expect(error).toMatchObject({ code, retryable: false, scope: 'sender' });
  });

  it('a server fault is a retryable MailSendError', async () => {
    answer = { status: 500, code: 'InternalFailure', message: 'oops' };
    await expect(mailer().sendRaw(Buffer.from('x'))).rejects.toMatchObject({ name: 'MailSendError', code: 'InternalFailure', retryable: true });
  });

  it('no answer at all (connection refused) is a retryable MailSendError', async () => {
    const closed = createSesMailer(
      new SESClient({ region: 'us-east-1', credentials: LOCAL_CREDENTIALS, endpoint: 'http://127.0.0.1:1', maxAttempts: 1 }),
    );
    await expect(closed.sendRaw(Buffer.from('x'))).rejects.toMatchObject({ name: 'MailSendError', retryable: true });
  });
});
