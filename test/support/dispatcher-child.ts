/**
 * A dispatcher in a process of its own, for the kill test: one tick at CONVENE_NOW against the
 * tables and endpoints in its environment. After CONVENE_GATE_AFTER sends have gone to SES,
 * every further send waits forever (it never reaches SES) and "gated" is printed once: the
 * test then kills this process by its pid, mid-batch, holding claims on unsent mail.
 *
 * A promise that never settles does not keep Node alive (STACK trap 9): once the sends that
 * passed the gate are done and the sockets go idle, the process would exit by itself with the
 * gated sends unsettled, before the test kills it. From the gate on, a timer holds it alive
 * until it is killed; a tick that finishes clears it, and the process exits as usual. The timer
 * also ends an orphan: if the test process is gone (this one was re-parented), it exits.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESClient } from '@aws-sdk/client-ses';
import { documentClient } from '../../functions/adapters/dynamodb-client.js';
import type { Mailer } from '../../functions/adapters/mailer/mailer.js';
import { createSesMailer } from '../../functions/adapters/mailer/ses-mailer.js';
import { dispatcherFromEnvironment } from '../../functions/dispatcher/environment.js';
import { LOCAL_CREDENTIALS } from '../../infra/local/clients.js';

const env = process.env;
const region = 'us-east-1';
const ses = new SESClient({ region, credentials: LOCAL_CREDENTIALS, endpoint: env.CONVENE_SES_ENDPOINT! });
const dynamodb = documentClient(new DynamoDBClient({ region, credentials: LOCAL_CREDENTIALS, endpoint: env.CONVENE_DYNAMODB_ENDPOINT! }));
const inner = createSesMailer(ses);
const parent = process.ppid;
let holdAlive: NodeJS.Timeout | undefined;
let passed = 0;
const gateAfter = Number(env.CONVENE_GATE_AFTER);
const mailer: Mailer = {
  sendRaw(raw) {
    if (passed >= gateAfter) {
      if (passed++ === gateAfter) {
        holdAlive = setInterval(() => process.ppid !== parent && process.exit(3), 500);
        process.stdout.write('gated\n');
      }
      return new Promise(() => {});
    }
    passed++;
    return inner.sendRaw(raw);
  },
};
await dispatcherFromEnvironment(env, { dynamodb, ses }, { mailer }).tick({ now: new Date(env.CONVENE_NOW!) });
clearInterval(holdAlive);
process.stdout.write('finished\n');
