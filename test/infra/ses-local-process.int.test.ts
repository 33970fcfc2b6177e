/**
 * aws-ses-v2-local in a process of its own (infra/local/ses-local.ts startSesLocalProcess), as
 * the benchmarks run it so that what sends mail does not share its event loop with the stand-in:
 * it takes mail over the SES API like the in-process one, and stopping it ends that process.
 */
import { SendRawEmailCommand, SESClient } from '@aws-sdk/client-ses';
import { afterAll, describe, expect, it } from 'vitest';
import { startSesLocalProcess, type SesLocal } from '../../infra/local/ses-local.js';
import { LOCAL_CREDENTIALS } from '../../infra/local/clients.js';
import { isAlive } from '../support/process-alive.js';

let ses: SesLocal | undefined;
afterAll(async () => {
  await ses?.stop();
});


describe('aws-ses-v2-local in its own process', () => {
  it('takes a raw mail over the SES API, shows it in its store, and is gone once stopped', async () => {
    ses = await startSesLocalProcess(0);
    expect(ses.pid).not.toBe(process.pid);
    const client = new SESClient({ region: 'eu-west-1', endpoint: ses.endpoint, credentials: LOCAL_CREDENTIALS });
    const raw = ['From: Convene <no-reply@convene.local>', 'To: layla@example.org', 'Subject: Own process', 'Content-Type: text/plain; charset=utf-8', '', 'Hello'].join('\r\n');
    await client.send(new SendRawEmailCommand({ RawMessage: { Data: Buffer.from(raw) } }));
    client.destroy();
    const store = (await (await fetch(`${ses.endpoint}/store`)).json()) as { emails: { subject: string }[] };
    expect(store.emails.map((m) => m.subject)).toEqual(['Own process']);
    const pid = ses.pid!;
    await ses.stop();
    ses = undefined;
    expect(isAlive(pid)).toBe(false);
  });
});
