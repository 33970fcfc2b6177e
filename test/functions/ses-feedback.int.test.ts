/**
 * The SES feedback handler on DynamoDB Local through the real SDK, wired from its environment
 * as the Lambda is, with tables of its own: SNS events carrying SES notifications as SES
 * publishes them (event publishing through a configuration set: `eventType`; identity
 * notifications: `notificationType`).
 */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import type { SNSEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { memberStreamId } from '../../events/member/index.js';
import { documentClient } from '../../functions/adapters/dynamodb-client.js';
import { createMemberDirectory, type MemberDirectory } from '../../functions/adapters/members/member-directory.js';
import { createSuppressionList, suppressionKey, type SuppressionList } from '../../functions/adapters/members/suppression-list.js';
import type { FeedbackDeps, FeedbackLogger } from '../../functions/ses-feedback/feedback.js';
import { createSesFeedbackHandler, sesFeedbackFromEnvironment } from '../../functions/ses-feedback/handler.js';
import { createTables } from '../../infra/local/create-tables.js';
import { eventTable, localTableNames, membersTable, tableEnvironment, type TableNames } from '../../functions/tables.js';
import { clients } from '../support/local.js';

const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:convene-ses-feedback';
const MAIL_MESSAGE_ID = '0102018f6b1c2d3e-8a7b6c5d-4e3f-4a1b-9c8d-7e6f5a4b3c2d-000000';

let names: TableNames;
let deps: FeedbackDeps;
let handle: (event: SNSEvent) => Promise<void>;
let suppressions: SuppressionList;
let members: MemberDirectory;
const logged: { level: string; message: string; attributes: Record<string, unknown> }[] = [];
const logger: FeedbackLogger = {
  info: (message, attributes) => logged.push({ level: 'info', message, attributes }),
  warn: (message, attributes) => logged.push({ level: 'warn', message, attributes }),
};

beforeAll(async () => {
  names = localTableNames(`sesfb-${crypto.randomUUID().slice(0, 8)}`);
  await createTables(clients().dynamodb, names);
  const client = documentClient(clients().dynamodb);
  deps = sesFeedbackFromEnvironment(tableEnvironment(names), client, logger);
  handle = createSesFeedbackHandler(deps);
  suppressions = createSuppressionList(client, names[membersTable.id]!);
  members = createMemberDirectory(client, names[membersTable.id]!);
});

/** An address no other test uses. */
const address = (who: string) => `${who}.${crypto.randomUUID().slice(0, 8)}@example.org`;

/** One SNS delivery of one SES notification, as Lambda receives it. */
function snsEvent(message: unknown, snsMessageId: string = crypto.randomUUID()): SNSEvent {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: `${TOPIC_ARN}:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55`,
        Sns: {
          Type: 'Notification',
          MessageId: snsMessageId,
          TopicArn: TOPIC_ARN,
          Message: typeof message === 'string' ? message : JSON.stringify(message),
          Timestamp: '2027-05-03T14:05:12.000Z',
          SignatureVersion: '1',
          Signature: 'EXAMPLE',
          SigningCertUrl: 'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-EXAMPLE.pem',
          UnsubscribeUrl: `https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${TOPIC_ARN}:EXAMPLE`,
          MessageAttributes: {},
        },
      },
    ],
  };
}

/** The `mail` object SES puts in every notification. */
function mail(recipients: readonly string[]) {
  return {
    timestamp: '2027-05-03T14:00:02.012Z',
    source: 'Convene <no-reply@convene.example.org>',
    sourceArn: 'arn:aws:ses:eu-west-1:123456789012:identity/convene.example.org',
    sendingAccountId: '123456789012',
    messageId: MAIL_MESSAGE_ID,
    destination: [...recipients],
    headersTruncated: false,
    tags: { 'ses:configuration-set': ['ConveneConfigurationSet'] },
  };
}

function bounce(bounceType: 'Permanent' | 'Transient' | 'Undetermined', bounceSubType: string, recipients: readonly string[]) {
  return {
    eventType: 'Bounce',
    bounce: {
      bounceType,
      bounceSubType,
      bouncedRecipients: recipients.map((emailAddress) => ({ emailAddress, action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' })),
      timestamp: '2027-05-03T14:00:03.669Z',
      feedbackId: `0102018f6b1c-${crypto.randomUUID()}-000000`,
      reportingMTA: 'dsn; a1-2.smtp-out.eu-west-1.amazonses.com',
    },
    mail: mail(recipients),
  };
}

function complaint(recipients: readonly string[], feedbackId = `0102018f6b1d-${crypto.randomUUID()}-000000`) {
  return {
    eventType: 'Complaint',
    complaint: {
      feedbackId,
      complaintSubType: null,
      complainedRecipients: recipients.map((emailAddress) => ({ emailAddress })),
      timestamp: '2027-05-03T15:12:44.000Z',
      userAgent: 'ExampleCorp Feedback Loop (V0.01)',
      complaintFeedbackType: 'abuse',
      arrivalDate: '2027-05-03T15:12:40.000Z',
    },
    mail: mail(recipients),
  };
}

async function scan(table: string) {
  const { Items } = await clients().dynamodb.send(new ScanCommand({ TableName: table, ConsistentRead: true }));
  return Items ?? [];
}
const itemCounts = async () => ({ members: (await scan(names[membersTable.id]!)).length, events: (await scan(names[eventTable.id]!)).length });

describe('SES feedback', () => {
  it('suppresses every recipient of a permanent bounce, compared without case or surrounding space', async () => {
    const [a, b] = [address('Hard.Bounce'), address('gone')];
    const untouched = address('fine');
    await handle(snsEvent(bounce('Permanent', 'General', [a, b])));

    expect(await suppressions.isSuppressed(a)).toBe(true);
    expect(await suppressions.isSuppressed(` ${a.toUpperCase()} `)).toBe(true);
    expect(await suppressions.isSuppressed(untouched)).toBe(false);
    expect(await suppressions.suppressedAmong([a.toUpperCase(), untouched, b, a])).toEqual(new Set([a.toLowerCase(), b]));
  });

  it('keeps no address in clear: the item holds the key hash, the reason, the time and SES detail only', async () => {
    const email = address('private');
    await handle(snsEvent(bounce('Permanent', 'NoEmail', [email])));
    const local = email.split('@')[0]!;
    const items = (await scan(names[membersTable.id]!)).filter((item) => JSON.stringify(item).includes('NoEmail'));
    expect(items).toHaveLength(1);
    expect(JSON.stringify(items[0])).not.toContain(local);
    expect(items[0]).toEqual({
      pk: { S: expect.stringMatching(/^suppressed#[\w-]{43}$/) },
      reason: { S: 'bounce' },
      at: { S: '2027-05-03T14:00:03.669Z' },
      detail: { S: 'NoEmail' },
    });
    expect(logged.some((entry) => JSON.stringify(entry).includes(local))).toBe(false);
  });

  it('reads identity notifications (notificationType) as well as configuration-set events (eventType)', async () => {
    const email = address('identity');
    const { eventType: _e, ...rest } = bounce('Permanent', 'General', [email]);
    await handle(snsEvent({ notificationType: 'Bounce', ...rest }));
    expect(await suppressions.isSuppressed(email)).toBe(true);
  });

  it('suppresses nothing for transient or undetermined bounces, and logs them', async () => {
    const [full, unknown] = [address('mailbox-full'), address('unknown')];
    const before = await itemCounts();
    await handle(snsEvent(bounce('Transient', 'MailboxFull', [full])));
    await handle(snsEvent(bounce('Undetermined', 'Undetermined', [unknown])));
    expect(await suppressions.suppressedAmong([full, unknown])).toEqual(new Set());
    expect(await itemCounts()).toEqual(before);
    expect(logged.filter((e) => e.message === 'bounce not permanent: nothing suppressed').map((e) => e.attributes.bounceType)).toEqual(
      expect.arrayContaining(['Transient', 'Undetermined']),
    );
  });

  it('suppresses a complaining member and appends exactly one MemberUnsubscribed (via complaint), however often SNS delivers it', async () => {
    const email = address('Complainer');
    const { member } = await members.findOrCreate(email, 'Leila', new Date('2027-04-20T09:00:00Z'));
    expect(await members.memberIdForEmail(` ${email.toUpperCase()}`)).toBe(member.memberId);
    const event = snsEvent(complaint([email]));

    await handle(event);
    await handle(event); // SNS redelivers
    await Promise.all([handle(event), handle(event)]); // and, at worst, at once

    expect(await suppressions.isSuppressed(email)).toBe(true);
    const stream = await deps.store.read(memberStreamId(member.memberId));
    expect(stream.map((e) => ({ type: e.type, data: e.data }))).toEqual([
      { type: 'MemberUnsubscribed', data: { memberId: member.memberId, via: 'complaint' } },
    ]);
    expect(stream[0]!.metadata).toMatchObject({ actor: { kind: 'system', id: 'ses-feedback' }, correlationId: MAIL_MESSAGE_ID });
  });

  it('appends nothing more for a second complaint from a member unsubscribed already', async () => {
    const email = address('twice');
    const { member } = await members.findOrCreate(email, 'Rafael', new Date('2027-04-20T09:00:00Z'));
    await handle(snsEvent(complaint([email])));
    await handle(snsEvent(complaint([email]))); // another complaint, another feedback id
    expect((await deps.store.read(memberStreamId(member.memberId))).map((e) => e.type)).toEqual(['MemberUnsubscribed']);
  });

  it('suppresses a complaining address that is no member, appending nothing', async () => {
    const email = address('stranger');
    const before = await itemCounts();
    await handle(snsEvent(complaint([email])));
    expect(await suppressions.isSuppressed(email)).toBe(true);
    expect(await itemCounts()).toEqual({ members: before.members + 1, events: before.events });
  });

  it('keeps the first reason and time when an address is suppressed again', async () => {
    const email = address('both');
    await handle(snsEvent(bounce('Permanent', 'General', [email])));
    await handle(snsEvent(complaint([email])));
    await suppressions.suppress(email, 'complaint', new Date('2030-01-01T00:00:00Z'), 'abuse');
    const items = (await scan(names[membersTable.id]!)).filter((item) => item.pk!.S === suppressionKey(email));
    expect(items).toEqual([expect.objectContaining({ reason: { S: 'bounce' }, at: { S: '2027-05-03T14:00:03.669Z' } })]);
  });

  it('skips malformed and unknown notifications without throwing, and writes nothing', async () => {
    const email = address('never');
    const before = await itemCounts();
    const messages: unknown[] = [
      'not json at all <never@example.org>',
      '',
      JSON.stringify(null),
      { mail: mail([email]) }, // no type
      { eventType: 'Bounce', mail: mail([email]) }, // no bounce object
      { ...bounce('Permanent', 'General', [email]), bounce: { ...bounce('Permanent', 'General', [email]).bounce, bounceType: 'Soft' } },
      { ...bounce('Permanent', 'General', [email]), mail: {} }, // no messageId
      { ...complaint([email]), complaint: { complainedRecipients: email } }, // not a list
      { ...complaint([email]), complaint: { complainedRecipients: [{ emailAddress: 'no at sign' }] } },
      { eventType: 'Delivery', delivery: { recipients: [email], timestamp: '2027-05-03T14:00:03.000Z' }, mail: mail([email]) },
      { notificationType: 'AmazonSnsSubscriptionSucceeded', message: 'You have successfully subscribed your Amazon SNS topic' },
      { eventType: 'Open', open: { timestamp: '2027-05-03T14:10:00.000Z' }, mail: mail([email]) },
    ];
    for (const message of messages) await expect(handle(snsEvent(message))).resolves.toBeUndefined();
    expect(await suppressions.isSuppressed(email)).toBe(false);
    expect(await itemCounts()).toEqual(before);
    expect(logged.some((entry) => JSON.stringify(entry).includes(email.split('@')[0]!))).toBe(false);
  });

  it('throws when a store fails, so that Lambda retries', async () => {
    const broken = createSesFeedbackHandler(
      sesFeedbackFromEnvironment({ ...tableEnvironment(names), [membersTable.envVar]: 'sesfb-no-such-table' }, documentClient(clients().dynamodb), logger),
    );
    await expect(broken(snsEvent(bounce('Permanent', 'General', [address('retry')])))).rejects.toThrow(/non-existent table|not found/i);
  });

  it('finds the suppressed addresses among more than one BatchGet holds', async () => {
    const many = Array.from({ length: 250 }, (_, i) => address(`member${i}`));
    const suppressed = [many[0]!, many[99]!, many[100]!, many[249]!];
    for (const email of suppressed) await deps.suppressions.suppress(email, 'bounce', new Date('2027-05-03T14:00:00Z'));
    expect(await suppressions.suppressedAmong(many)).toEqual(new Set(suppressed));
    expect(await suppressions.suppressedAmong([])).toEqual(new Set());
  });
});
