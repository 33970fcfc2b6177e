/**
 * The inbound reader of calendar apps' REPLY mails (functions/inbound/read-reply.ts), on mails
 * shaped as Gmail, Outlook and Apple send them (test/support/reply-fixtures.ts; their models in
 * test/inbound/fixtures/README.md). Each fixture's calendar parts are read again by ical.js and
 * node-ical, so the fixtures are valid iCalendar and the reader agrees with both parsers. Every
 * drop names its reason and never the reply address's local part nor the member's address.
 */
import ICAL from 'ical.js';
import nodeIcal from 'node-ical';
import { describe, expect, it } from 'vitest';
import { DroppedMailError, InboundMailError, MAX_COMMENT_CHARS, MAX_INBOUND_BYTES, readReply, type DropReason, type ReadReplyOptions } from '../../functions/inbound/read-reply.js';
import { simpleParser } from '../mail/mailparser.js';
import { contentLines, expectFoldedCrlf } from '../support/icalendar.js';
import {
  autoReplyMail,
  counterMail,
  hugeMail,
  malformedCalendarMail,
  REPLY_ANSWERS,
  REPLY_CLIENTS,
  replyMail,
  type ReplyClient,
  type ReplyMailOptions,
  type ReplyValues,
} from '../support/reply-fixtures.js';

const REPLY_ADDRESS = 'r-0f1e2d3c4b5a69788796a5b4c3d2e1f0.kx9.abcdefghijklmnopqrst@reply.convene.example.org';
const LOCAL_PART = REPLY_ADDRESS.slice(0, REPLY_ADDRESS.indexOf('@'));
const UID = 'care-economy-2027.session-02@convene.example.org';
const DTSTAMP = new Date('2027-01-12T09:30:00Z');
const START = new Date('2027-01-20T14:00:00Z');
const END = new Date('2027-01-20T15:00:00Z');

const values = (fields: Partial<ReplyValues> = {}): ReplyValues => ({
  replyAddress: REPLY_ADDRESS,
  uid: UID,
  attendee: 'Amal.Haddad@Example.org',
  attendeeName: 'Amal Haddad',
  status: 'ACCEPTED',
  sequence: 3,
  dtstamp: DTSTAMP,
  organiserName: 'Care Economy Team',
  summary: 'Care Economy: paid and unpaid work (live webinar)',
  start: START,
  end: END,
  ...fields,
});

/** Reads a mail that must be dropped; checks the error's class and reason, and that it names no address. */
async function dropped(raw: Uint8Array, reason: DropReason, options?: ReadReplyOptions): Promise<DroppedMailError> {
  const error = await readReply(raw, options).then(
    (reply) => expect.fail(`expected a drop (${reason}), got ${JSON.stringify(reply)}`),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DroppedMailError);
  expect(error).toBeInstanceOf(InboundMailError);
  const drop = error as DroppedMailError;
  expect({ reason: drop.reason, message: drop.message }).toMatchObject({ reason });
  expect(drop.message.toLowerCase()).not.toContain(LOCAL_PART);
  expect(drop.message.toLowerCase()).not.toContain('amal.haddad');
  expect(drop.message).not.toContain(UID);
  return drop;
}

const edit = (change: (line: string) => string | readonly string[]): ReplyMailOptions['editCalendar'] => (lines) => lines.flatMap(change);
const withoutLine = (prefix: string) => edit((line) => (line.startsWith(prefix) ? [] : line));

/** The calendar parts of a mail as mailparser decodes them (type and text). */
async function calendarParts(raw: Buffer): Promise<{ type: string; text: string }[]> {
  const parsed = await simpleParser(raw);
  return (parsed.attachments as { contentType: string; content: Buffer }[])
    .filter((a) => a.contentType === 'text/calendar' || a.contentType === 'application/ics')
    .map((a) => ({ type: a.contentType, text: a.content.toString('utf8') }));
}

interface Read {
  readonly method: string;
  readonly uid: string;
  readonly sequence: number;
  readonly dtstamp: string;
  readonly start: string;
  readonly end: string;
  readonly organizer: string | undefined;
  readonly attendees: readonly { readonly address: string; readonly partstat: string }[];
}

const address = (value: string) => value.replace(/^mailto:/i, '').toLowerCase();

function withIcalJs(ics: string): Read {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const [vevent, ...more] = calendar.getAllSubcomponents('vevent');
  expect(more).toHaveLength(0);
  const event = new ICAL.Event(vevent!);
  const organizer = vevent!.getFirstProperty('organizer');
  return {
    method: String(calendar.getFirstPropertyValue('method')),
    uid: event.uid,
    sequence: event.sequence,
    dtstamp: (vevent!.getFirstPropertyValue('dtstamp') as ICAL.Time).toJSDate().toISOString(),
    start: event.startDate.toJSDate().toISOString(),
    end: event.endDate.toJSDate().toISOString(),
    organizer: organizer ? address(String(organizer.getFirstValue())) : undefined,
    attendees: vevent!.getAllProperties('attendee').map((a) => ({ address: address(String(a.getFirstValue())), partstat: String(a.getParameter('partstat')) })),
  };
}

type NodeIcalPerson = string | { val: string; params: Record<string, string> };

function withNodeIcal(ics: string): Read {
  const parsed = nodeIcal.sync.parseICS(ics) as Record<string, Record<string, unknown>>;
  const vevents = Object.values(parsed).filter((c) => c['type'] === 'VEVENT');
  expect(vevents).toHaveLength(1);
  const c = vevents[0]!;
  const person = (p: NodeIcalPerson) => (typeof p === 'string' ? { address: address(p), params: {} as Record<string, string> } : { address: address(p.val), params: p.params });
  const raw = c['attendee'] as NodeIcalPerson | NodeIcalPerson[];
  return {
    method: String(parsed['vcalendar']?.['method']),
    uid: c['uid'] as string,
    sequence: Number(c['sequence'] ?? 0),
    dtstamp: (c['dtstamp'] as Date).toISOString(),
    start: (c['start'] as Date).toISOString(),
    end: (c['end'] as Date).toISOString(),
    organizer: c['organizer'] === undefined ? undefined : person(c['organizer'] as NodeIcalPerson).address,
    attendees: (Array.isArray(raw) ? raw : [raw]).map(person).map((p) => ({ address: p.address, partstat: String(p.params['PARTSTAT']) })),
  };
}

const HAS_ORGANIZER: Readonly<Record<ReplyClient, boolean>> = { gmail: true, outlook: false, apple: true };

describe.each(REPLY_CLIENTS)('a %s reply', (client) => {
  it.each(REPLY_ANSWERS)('%s: the answer, the event and the addresses', async (status) => {
    const reply = await readReply(replyMail(client, values({ status })));
    expect(reply).toEqual({
      messageId: expect.stringMatching(/^[^<>\s]+@[^<>\s]+$/),
      from: 'amal.haddad@example.org',
      recipients: [REPLY_ADDRESS],
      uid: UID,
      sequence: 3,
      dtstamp: '2027-01-12T09:30:00.000Z',
      organizer: HAS_ORGANIZER[client] ? REPLY_ADDRESS : undefined,
      attendee: { email: 'amal.haddad@example.org', status },
    });
  });

  it.each(REPLY_ANSWERS)('%s: every calendar part is valid iCalendar, read alike by ical.js, node-ical and the reader', async (status) => {
    const raw = replyMail(client, values({ status }));
    const parts = await calendarParts(raw);
    expect(parts.map((p) => p.type)).toEqual(client === 'gmail' ? ['text/calendar', 'application/ics'] : ['text/calendar']);
    const reply = await readReply(raw);
    for (const { text } of parts) {
      expectFoldedCrlf(text);
      const read = withIcalJs(text);
      expect(withNodeIcal(text), 'node-ical reads what ical.js reads').toEqual(read);
      expect(read).toEqual({
        method: 'REPLY',
        uid: reply.uid,
        sequence: reply.sequence,
        dtstamp: reply.dtstamp,
        start: START.toISOString(),
        end: END.toISOString(),
        organizer: reply.organizer,
        attendees: [{ address: reply.attendee.email, partstat: status }],
      });
    }
  });

  it('is the same bytes for the same values, other bytes for another answer', () => {
    expect(replyMail(client, values())).toEqual(replyMail(client, values()));
    expect(replyMail(client, values())).not.toEqual(replyMail(client, values({ status: 'DECLINED' })));
  });

  it('folds the long ATTENDEE and ORGANIZER lines, as the client does, and is read through the folds', async () => {
    const long = values({ attendeeName: 'Amal Haddad-Rahman, Care Economy Programme' });
    const [part] = await calendarParts(replyMail(client, long));
    const physical = part!.text.split('\r\n');
    const attendeeAt = physical.findIndex((l) => l.startsWith('ATTENDEE'));
    expect(physical[attendeeAt + 1], 'the ATTENDEE line goes on on the next line').toMatch(/^ \S/);
    if (HAS_ORGANIZER[client]) {
      expect(part!.text, 'the reply address is split by a fold').not.toContain(REPLY_ADDRESS);
      expect(contentLines(part!.text).join('\n')).toContain(REPLY_ADDRESS);
    }
    expect((await readReply(replyMail(client, long))).attendee.email).toBe('amal.haddad@example.org');
  });

  it('is dropped as malformed when its calendar is broken', async () => {
    await dropped(malformedCalendarMail(client, values()), 'malformed-calendar');
  });
});

describe('each client as found', () => {
  it('Gmail: Auto-Submitted: auto-generated (Google Calendar sends every answer so) is not a loop', async () => {
    const raw = replyMail('gmail', values());
    expect(raw.toString('latin1')).toMatch(/^Auto-Submitted: auto-generated\r$/m);
    await expect(readReply(raw)).resolves.toMatchObject({ attendee: { status: 'ACCEPTED' } });
  });

  it('Outlook: base64, `MAILTO:` in capitals, no ORGANIZER; the recipients come from To', async () => {
    const raw = replyMail('outlook', values());
    expect(raw.toString('latin1')).toContain('Content-Type: text/calendar; charset="utf-8"; method=REPLY\r\nContent-Transfer-Encoding: base64\r\n');
    const [part] = await calendarParts(raw);
    expect(contentLines(part!.text).find((l) => l.startsWith('ATTENDEE'))).toContain(':MAILTO:Amal.Haddad@Example.org');
    expect(contentLines(part!.text).some((l) => l.startsWith('ORGANIZER'))).toBe(false);
    const reply = await readReply(raw);
    expect([reply.organizer, reply.recipients, reply.attendee.email]).toEqual([undefined, [REPLY_ADDRESS], 'amal.haddad@example.org']);
  });

  it('Outlook: the words typed with the answer are the COMMENT; the empty `\\n` one is none', async () => {
    const note = 'I will join from Quito, 10 minutes late; sorry!';
    await expect(readReply(replyMail('outlook', values({ status: 'TENTATIVE', comment: note })))).resolves.toMatchObject({
      attendee: { email: 'amal.haddad@example.org', status: 'TENTATIVE', comment: note },
    });
    const plain = await readReply(replyMail('outlook', values()));
    expect(plain.attendee).not.toHaveProperty('comment');
    const long = await readReply(replyMail('outlook', values({ comment: 'x'.repeat(MAX_COMMENT_CHARS + 50) })));
    expect(long.attendee.comment).toHaveLength(MAX_COMMENT_CHARS);
  });

  it('Apple: a quoted-printable iCal-….ics attachment with no method parameter, METHOD in the object only', async () => {
    const raw = replyMail('apple', values());
    const mime = raw.toString('latin1');
    expect(mime).toMatch(/Content-Type: text\/calendar;\r\n\tx-unix-mode=0644;\r\n\tname="iCal-20270112-093000\.ics"/);
    expect(mime).toContain('METHOD:REPLY=0D=0A');
    await expect(readReply(raw)).resolves.toMatchObject({ uid: UID, attendee: { status: 'ACCEPTED' } });
  });

  it('names that are not ASCII travel as encoded words and change nothing', async () => {
    for (const client of REPLY_CLIENTS) {
      const raw = replyMail(client, values({ attendeeName: 'Amal Ḥaddād', organiserName: 'Economía del Cuidado', summary: 'Economía del cuidado — seminario en vivo' }));
      expect(raw.toString('latin1')).toMatch(/=\?UTF-8\?B\?/);
      await expect(readReply(raw)).resolves.toMatchObject({ from: 'amal.haddad@example.org', attendee: { email: 'amal.haddad@example.org' } });
    }
  });
});

describe('what clients do that the RFCs do not quite say', () => {
  it('reads a lower-case (or mixed-case) PARTSTAT, and gives it back in upper case', async () => {
    for (const [client, written] of [['gmail', 'accepted'], ['outlook', 'Declined'], ['apple', 'tentative']] as const) {
      const reply = await readReply(replyMail(client, values(), { editCalendar: edit((l) => l.replace(/PARTSTAT=ACCEPTED/, `PARTSTAT=${written}`)) }));
      expect(reply.attendee.status).toBe(written.toUpperCase());
    }
  });

  it('takes the METHOD from the Content-Type when the object has none', async () => {
    await expect(readReply(replyMail('outlook', values(), { editCalendar: withoutLine('METHOD:') }))).resolves.toMatchObject({ uid: UID });
    await expect(
      readReply(replyMail('apple', values(), { editCalendar: withoutLine('METHOD:'), contentTypeMethod: 'REPLY' })),
    ).resolves.toMatchObject({ uid: UID });
  });

  it('compares METHOD and method= without regard to case', async () => {
    await expect(readReply(replyMail('gmail', values(), { contentTypeMethod: 'reply' }))).resolves.toMatchObject({ uid: UID });
  });

  it('reads `MAILTO:` in capitals on the ORGANIZER and the ATTENDEE of any client', async () => {
    const reply = await readReply(replyMail('gmail', values(), { editCalendar: edit((l) => l.replace(':mailto:', ':MAILTO:')) }));
    expect([reply.organizer, reply.attendee.email]).toEqual([REPLY_ADDRESS, 'amal.haddad@example.org']);
  });

  it('reads an ATTENDEE whose value is not a mailto: by its EMAIL parameter (RFC 7986)', async () => {
    const reply = await readReply(
      replyMail('apple', values(), { editCalendar: edit((l) => (l.startsWith('ATTENDEE') ? l.replace(/:mailto:.*$/, ';EMAIL=Amal.Haddad@Example.org:urn:uuid:5f2c1c56-1111-4222-8333-944455556666') : l)) }),
    );
    expect(reply.attendee.email).toBe('amal.haddad@example.org');
  });

  it('collects the recipients from To, Cc, Delivered-To, X-Original-To and X-Forwarded-To, lower-cased, once each', async () => {
    const raw = replyMail('gmail', values(), {
      headers: [
        ['Cc', '"Someone, Else" <Someone@Example.NET>'],
        ['Delivered-To', REPLY_ADDRESS.toUpperCase()],
        ['X-Original-To', 'Inbound@Reply.Convene.Example.org'],
        ['X-Forwarded-To', 'forward@example.net'],
      ],
    });
    expect((await readReply(raw)).recipients).toEqual([REPLY_ADDRESS, 'someone@example.net', 'inbound@reply.convene.example.org', 'forward@example.net']);
  });

  it('keeps the Message-ID it is given, without the angle brackets', async () => {
    for (const client of REPLY_CLIENTS) {
      expect((await readReply(replyMail(client, values({ messageId: '<CAFz=q7+x@mail.example.org>' })))).messageId).toBe('CAFz=q7+x@mail.example.org');
    }
  });

  it('reads a plain Uint8Array (a view into a larger buffer, as an S3 body may be) as well as a Buffer', async () => {
    const raw = replyMail('apple', values());
    const larger = new Uint8Array(raw.byteLength + 16);
    larger.set(raw, 8);
    await expect(readReply(larger.subarray(8, 8 + raw.byteLength))).resolves.toEqual(await readReply(raw));
  });

  it('takes a reply whose two calendar parts are the same object (Gmail), and Auto-Submitted: no', async () => {
    await expect(readReply(replyMail('gmail', values(), { headers: [['Auto-Submitted', 'no']] }))).resolves.toMatchObject({ uid: UID });
  });
});

describe('the mails that are dropped', () => {
  it('too-large: a 20 MB mail, refused before it is parsed', async () => {
    const raw = hugeMail(values());
    expect(raw.byteLength).toBeGreaterThan(20 * 1024 * 1024);
    const drop = await dropped(raw, 'too-large');
    expect(drop.message).toBe(`the mail is ${raw.byteLength} bytes, over ${MAX_INBOUND_BYTES}`);
  });

  it('too-large: over a smaller maxBytes', async () => {
    const raw = replyMail('outlook', values());
    await dropped(raw, 'too-large', { maxBytes: raw.byteLength - 1 });
    await expect(readReply(raw, { maxBytes: raw.byteLength })).resolves.toMatchObject({ uid: UID });
    await expect(readReply(raw, { maxBytes: 0 })).rejects.toThrow(RangeError);
  });

  it('mail-loop: an out-of-office (Auto-Submitted: auto-replied)', async () => {
    expect((await dropped(autoReplyMail(values()), 'mail-loop')).message).toBe('Auto-Submitted is auto-replied');
  });

  it('mail-loop: Auto-Submitted on a real reply (auto-replied, auto-notified, anything but no and auto-generated)', async () => {
    await dropped(replyMail('outlook', values(), { headers: [['Auto-Submitted', 'auto-replied; owner-email="x@example.org"']] }), 'mail-loop');
    await dropped(replyMail('apple', values(), { headers: [['Auto-Submitted', 'auto-notified']] }), 'mail-loop');
  });

  it('mail-loop: Precedence bulk, junk or list', async () => {
    for (const precedence of ['bulk', 'Junk', 'list']) {
      expect((await dropped(replyMail('outlook', values(), { headers: [['Precedence', precedence]] }), 'mail-loop')).message).toBe(`Precedence is ${precedence.toLowerCase()}`);
    }
  });

  it('mail-loop: a mail from one of our own addresses (compared in lower case, bare or with a name)', async () => {
    const raw = replyMail('gmail', values({ attendee: 'No-Reply@Convene.Example.org', attendeeName: 'Convene' }));
    await dropped(raw, 'mail-loop', { ourAddresses: ['no-reply@convene.example.org'] });
    await dropped(raw, 'mail-loop', { ourAddresses: ['Convene <NO-REPLY@convene.example.org>'] });
    await expect(readReply(raw, { ourAddresses: ['invitations@convene.example.org'] })).resolves.toMatchObject({ uid: UID });
  });

  it('no-calendar: a plain answer typed by hand', async () => {
    const raw = Buffer.from(
      [
        'From: Amal Haddad <Amal.Haddad@Example.org>',
        `To: Care Economy Team <${REPLY_ADDRESS}>`,
        'Subject: Re: Invitation: Care Economy',
        'Message-ID: <typed@example.org>',
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Yes, I will come.',
        '',
      ].join('\r\n'),
    );
    expect((await dropped(raw, 'no-calendar')).message).toBe('the mail has no text/calendar or .ics part');
  });

  it('no-calendar: a reply forwarded inside a message/rfc822 is not read', async () => {
    const inner = replyMail('outlook', values());
    const raw = Buffer.concat([
      Buffer.from(
        ['From: someone@example.net', `To: ${REPLY_ADDRESS}`, 'Subject: Fwd: Accepted', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="f"', '', '--f', 'Content-Type: text/plain', '', 'see below', '--f', 'Content-Type: message/rfc822', '', ''].join('\r\n'),
      ),
      inner,
      Buffer.from('\r\n--f--\r\n'),
    ]);
    await dropped(raw, 'no-calendar');
  });

  it("not-a-reply: Outlook's Propose new time (COUNTER)", async () => {
    const raw = counterMail({ ...values(), proposedStart: new Date('2027-01-21T14:00:00Z'), proposedEnd: new Date('2027-01-21T15:00:00Z') });
    expect(raw.toString('latin1')).toContain('Subject: New Time Proposed: ');
    expect((await dropped(raw, 'not-a-reply')).message).toBe('METHOD is COUNTER, not REPLY');
  });

  it('not-a-reply: REQUEST, CANCEL, REFRESH, DECLINECOUNTER, in the object and the Content-Type alike', async () => {
    for (const method of ['REQUEST', 'CANCEL', 'REFRESH', 'DECLINECOUNTER']) {
      const raw = replyMail('outlook', values(), { editCalendar: edit((l) => (l === 'METHOD:REPLY' ? `METHOD:${method}` : l)), contentTypeMethod: method });
      expect((await dropped(raw, 'not-a-reply')).message).toBe(`METHOD is ${method}, not REPLY`);
    }
  });

  it('not-a-reply: no METHOD anywhere', async () => {
    expect((await dropped(replyMail('apple', values(), { editCalendar: withoutLine('METHOD:') }), 'not-a-reply')).message).toBe('the calendar has no METHOD');
  });

  it('not-a-reply: the only ATTENDEE has not answered (NEEDS-ACTION, DELEGATED, no PARTSTAT)', async () => {
    for (const change of ['PARTSTAT=NEEDS-ACTION', 'PARTSTAT=DELEGATED', '']) {
      const raw = replyMail('gmail', values(), { editCalendar: edit((l) => l.replace(/;?PARTSTAT=ACCEPTED/, change ? `;${change}` : '')) });
      expect((await dropped(raw, 'not-a-reply')).message).toMatch(/^no ATTENDEE answers \(PARTSTAT (NEEDS-ACTION|DELEGATED)\)$/);
    }
  });

  it('malformed-calendar: METHOD and the Content-Type method= differ', async () => {
    const drop = await dropped(replyMail('outlook', values(), { contentTypeMethod: 'REQUEST' }), 'malformed-calendar');
    expect(drop.message).toBe('METHOD is REPLY but the Content-Type says method=REQUEST');
  });

  it('malformed-calendar: no VEVENT, no UID, no DTSTAMP, a DTSTAMP not in UTC, no ATTENDEE, an answer without an address', async () => {
    let inEvent = false;
    const cases: [ReplyMailOptions['editCalendar'], string][] = [
      [
        edit((l) => {
          if (l === 'BEGIN:VEVENT') inEvent = true;
          const drop = inEvent;
          if (l === 'END:VEVENT') inEvent = false;
          return drop ? [] : l;
        }),
        'the calendar has no VEVENT',
      ],
      [withoutLine('UID:'), 'a VEVENT has no UID'],
      [withoutLine('DTSTAMP:'), 'a VEVENT has no DTSTAMP'],
      [edit((l) => (l.startsWith('DTSTAMP:') ? l.slice(0, -1) : l)), 'DTSTAMP is not a UTC date-time'],
      [withoutLine('ATTENDEE'), 'the calendar has no ATTENDEE'],
      [edit((l) => (l.startsWith('ATTENDEE') ? l.replace(/:mailto:.*$/, ':urn:uuid:5f2c1c56-1111-4222-8333-944455556666') : l)), 'the answering ATTENDEE has no mail address'],
    ];
    for (const [editCalendar, message] of cases) {
      expect((await dropped(replyMail('gmail', values(), { editCalendar }), 'malformed-calendar')).message).toBe(message);
    }
  });

  it('malformed-calendar: a calendar part that is not iCalendar at all', async () => {
    const drop = await dropped(replyMail('outlook', values(), { editCalendar: () => ['this is not a calendar'] }), 'malformed-calendar');
    expect(drop.message).toBe('the calendar part is not valid iCalendar');
  });

  it("ambiguous: Gmail's two parts disagree", async () => {
    const raw = replyMail('gmail', values(), { editAttachment: (lines) => lines.map((l) => l.replace('PARTSTAT=ACCEPTED', 'PARTSTAT=DECLINED')) });
    expect((await dropped(raw, 'ambiguous')).message).toBe("the mail's 2 calendar parts disagree");
  });

  it('ambiguous: one part reads, the other is broken', async () => {
    const raw = replyMail('gmail', values(), { editAttachment: (lines) => lines.filter((l) => !l.startsWith('DTSTAMP')) });
    await dropped(raw, 'ambiguous');
  });

  it('ambiguous: VEVENTs of two UIDs', async () => {
    const raw = replyMail('apple', values(), {
      editCalendar: (lines) => {
        const start = lines.indexOf('BEGIN:VEVENT');
        const end = lines.indexOf('END:VEVENT');
        const other = lines.slice(start, end + 1).map((l) => (l.startsWith('UID:') ? 'UID:another-session@convene.example.org' : l));
        return [...lines.slice(0, end + 1), ...other, ...lines.slice(end + 1)];
      },
    });
    expect((await dropped(raw, 'ambiguous')).message).toBe('the calendar has VEVENTs of 2 UIDs');
  });

  it('ambiguous: two ATTENDEEs answer', async () => {
    const raw = replyMail('outlook', values(), {
      editCalendar: edit((l) => (l.startsWith('ATTENDEE') ? [l, 'ATTENDEE;PARTSTAT=ACCEPTED;CN=Guest:MAILTO:guest@example.net'] : l)),
    });
    expect((await dropped(raw, 'ambiguous')).message).toBe('2 ATTENDEEs answer');
  });

  it('ignores attendees that have not answered beside the one who has', async () => {
    const raw = replyMail('outlook', values(), {
      editCalendar: edit((l) => (l.startsWith('ATTENDEE') ? [l, 'ATTENDEE;PARTSTAT=NEEDS-ACTION;CN=Guest:MAILTO:guest@example.net'] : l)),
    });
    await expect(readReply(raw)).resolves.toMatchObject({ attendee: { email: 'amal.haddad@example.org', status: 'ACCEPTED' } });
  });
});
