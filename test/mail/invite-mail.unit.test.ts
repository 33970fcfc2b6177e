/**
 * The iMIP invitation mail (RFC 6047 over RFC 5546), read back from its raw bytes by
 * mailparser and by the small reader in ./raw-mime.ts, and its calendar (the text/calendar
 * alternative and the invite.ics attachment) by both ical.js (which converts TZID times with
 * the VTIMEZONE blocks in the object) and node-ical (which uses the runtime's IANA data).
 */
import ICAL from 'ical.js';
import nodeIcal from 'node-ical';
import { contentLines, expectFoldedCrlf } from '../support/icalendar.js';
import { describe, expect, it } from 'vitest';
import type { ScheduledSession, SeriesSchedule } from '../../events/projections/schedule.js';
import { seriesFeed, sessionUid } from '../../functions/feeds/ical.js';
import { composeInviteMail, inviteCalendar, type InviteMailInput } from '../../functions/mail/invite-mail.js';
import { INVITE_CATALOGUE } from '../../functions/mail/invite-catalogue.js';
import { CATALOGUE } from '../../functions/mail/catalogue.js';
import { simpleParser, single, type ParsedMail } from './mailparser.js';
import { decodeWords, field, fieldValues, multipartParts, parameter, readPart, textBody, type RawMessage } from './raw-mime.js';
import { COMPOSE_OPTIONS, CREATED, UNSUBSCRIBE_MAILTO, UNSUBSCRIBE_URL, scheduledSession } from '../support/schedule-fixtures.js';

const options = COMPOSE_OPTIONS;
const JOIN_URL = 'https://webinar.example.org/care-economy/unpaid-work';
const created = CREATED;

/** 15:00 New York on both sides of the US change (14 March 2027): EST (UTC-5), then EDT (UTC-4). */
const BEFORE_US_DST = { startsAt: '2027-03-07T20:00:00.000Z', endsAt: '2027-03-07T21:00:00.000Z' };
const AFTER_US_DST = { startsAt: '2027-03-21T19:00:00.000Z', endsAt: '2027-03-21T20:00:00.000Z' };

const session = (fields: Parameters<typeof scheduledSession>[1]) => scheduledSession(created, fields);

const schedule: SeriesSchedule = {
  seriesId: 'care-economy',
  version: 6,
  kind: 'lecture-series',
  title: { en: 'The Care Economy', es: 'La economía del cuidado', fr: 'L’économie du soin' },
  description: {},
  timeZone: 'America/New_York',
  languages: ['en', 'es', 'fr'],
  organiser: { name: 'Training Centre', email: 'training@example.org' },
  reminderOffsets: ['P1D'],
  createdAt: created,
  updatedAt: '2027-02-03T10:00:00.000Z',
  sessions: [
    session({ sessionId: 'opening', title: { en: 'Opening lecture', es: 'Conferencia inaugural', fr: 'Conférence inaugurale' }, ...BEFORE_US_DST }),
    session({
      sessionId: 'unpaid-work',
      title: { en: 'Unpaid work', es: 'Trabajo no remunerado', fr: 'Le travail non rémunéré' },
      ...AFTER_US_DST,
      joinUrl: JOIN_URL,
      sequence: 1,
      updatedAt: '2027-02-01T12:00:00.000Z',
    }),
    session({
      sessionId: 'closing',
      title: { en: 'Closing panel', es: 'Mesa de clausura', fr: 'Table ronde de clôture' },
      startsAt: '2027-03-28T19:00:00.000Z',
      endsAt: '2027-03-28T20:30:00.000Z',
      status: 'cancelled',
      sequence: 2,
      updatedAt: '2027-02-03T10:00:00.000Z',
    }),
  ],
};

function input(overrides: Partial<InviteMailInput> = {}): InviteMailInput {
  return {
    method: 'REQUEST',
    to: { email: 'ana@example.org', name: 'Ana Pérez' },
    language: 'en',
    memberTimeZone: 'Asia/Jerusalem',
    schedule,
    sessionId: 'opening',
    joinUrlVisible: true,
    unsubscribeUrl: UNSUBSCRIBE_URL,
    unsubscribeMailto: UNSUBSCRIBE_MAILTO,
    manageUrl: 'https://convene.example.org/manage?token=m.test',
    ...overrides,
  };
}

// ---------------------------------------------------------------------------------------
// Reading the mail back.

interface Read {
  readonly bytes: Buffer;
  readonly own: RawMessage;
  readonly alternative: RawMessage;
  readonly text: string;
  readonly html: string;
  readonly calendarPart: RawMessage;
  /** The text/calendar alternative, transfer-decoded, CRLFs kept. */
  readonly calendar: string;
  readonly attachmentPart: RawMessage;
  /** The invite.ics attachment's bytes. */
  readonly attachment: Buffer;
  readonly parsed: ParsedMail;
}

/** Quoted-printable decoding that keeps the hard line breaks (CRLF) as they are. */
function decodeQuotedPrintable(body: string): Buffer {
  const unwrapped = body.replace(/=\r\n/g, '');
  return Buffer.from(unwrapped.replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
}

const contentType = (part: RawMessage) => field(part, 'Content-Type').toLowerCase();

async function compose(mail: InviteMailInput): Promise<Read> {
  const bytes = await composeInviteMail(mail, options);
  const own = readPart(bytes.toString('latin1'));
  expect(contentType(own)).toMatch(/^multipart\/mixed;/);
  const top = multipartParts(own);
  expect(top.map(contentType).map((t) => t.split(';')[0])).toEqual(['multipart/alternative', 'application/ics']);
  const [alternative, attachmentPart] = top as [RawMessage, RawMessage];
  const alternatives = multipartParts(alternative);
  expect(alternatives.map((p) => contentType(p).split(';')[0])).toEqual(['text/plain', 'text/html', 'text/calendar']);
  const [textPart, htmlPart, calendarPart] = alternatives as [RawMessage, RawMessage, RawMessage];
  expect(field(calendarPart, 'Content-Transfer-Encoding').toLowerCase()).toBe('quoted-printable');
  expect(field(attachmentPart, 'Content-Transfer-Encoding').toLowerCase()).toBe('base64');
  return {
    bytes,
    own,
    alternative,
    text: textBody(textPart),
    html: textBody(htmlPart),
    calendarPart,
    calendar: decodeQuotedPrintable(calendarPart.rawBody).toString('utf8'),
    attachmentPart,
    attachment: Buffer.from(attachmentPart.rawBody.replace(/\s+/g, ''), 'base64'),
    parsed: await simpleParser(bytes),
  };
}

// ---------------------------------------------------------------------------------------
// Reading the calendar back, with both parsers.

interface ReadEvent {
  readonly method: string;
  readonly uid: string;
  readonly sequence: number;
  readonly status: string | undefined;
  readonly start: number;
  readonly end: number;
  readonly dtstamp: number;
  readonly summary: string;
  readonly description: string | undefined;
  readonly organizer: { readonly cn: string | undefined; readonly address: string };
  readonly attendees: readonly { readonly cn: string | undefined; readonly address: string; readonly params: Readonly<Record<string, string>> }[];
}

function readWithIcalJs(ics: string): ReadEvent {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const vevents = calendar.getAllSubcomponents('vevent');
  expect(vevents).toHaveLength(1);
  const component = vevents[0]!;
  const event = new ICAL.Event(component);
  const organizer = component.getFirstProperty('organizer')!;
  const str = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const params = (property: ICAL.Property) => {
    const out: Record<string, string> = {};
    for (const name of ['role', 'partstat', 'rsvp', 'cn']) {
      const value = property.getParameter(name);
      if (typeof value === 'string') out[name.toUpperCase()] = value;
    }
    return out;
  };
  const dtstamp = component.getFirstPropertyValue('dtstamp');
  return {
    method: String(calendar.getFirstPropertyValue('method')),
    uid: event.uid,
    sequence: event.sequence,
    status: str(component.getFirstPropertyValue('status')),
    start: event.startDate.toJSDate().getTime(),
    end: event.endDate.toJSDate().getTime(),
    dtstamp: (dtstamp as ICAL.Time).toJSDate().getTime(),
    summary: event.summary,
    description: str(component.getFirstPropertyValue('description')),
    organizer: { cn: str(organizer.getParameter('cn')), address: String(organizer.getFirstValue()).toLowerCase() },
    attendees: component.getAllProperties('attendee').map((a) => ({
      cn: str(a.getParameter('cn')),
      address: String(a.getFirstValue()).toLowerCase(),
      params: params(a),
    })),
  };
}

type NodeIcalValue = string | { val: string; params: Record<string, string> };
function readWithNodeIcal(ics: string): ReadEvent {
  const parsed = nodeIcal.sync.parseICS(ics);
  const components = Object.values(parsed) as Record<string, unknown>[];
  const vevents = components.filter((c) => c['type'] === 'VEVENT');
  expect(vevents).toHaveLength(1);
  const c = vevents[0]!;
  const text = (v: unknown) => (v === undefined ? undefined : typeof v === 'string' ? v : (v as { val: string }).val);
  const person = (v: NodeIcalValue) =>
    typeof v === 'string' ? { cn: undefined, address: v.toLowerCase(), params: {} } : { cn: v.params['CN'], address: v.val.toLowerCase(), params: v.params };
  const organizer = person(c['organizer'] as NodeIcalValue);
  const rawAttendees = c['attendee'] as NodeIcalValue | NodeIcalValue[] | undefined;
  const attendees = (rawAttendees === undefined ? [] : Array.isArray(rawAttendees) ? rawAttendees : [rawAttendees]).map(person);
  const vcalendar = (parsed as Record<string, unknown>)['vcalendar'] as Record<string, unknown> | undefined;
  return {
    method: String(vcalendar?.['method']),
    uid: c['uid'] as string,
    sequence: Number(c['sequence']),
    status: c['status'] as string | undefined,
    start: (c['start'] as Date).getTime(),
    end: (c['end'] as Date).getTime(),
    dtstamp: (c['dtstamp'] as Date).getTime(),
    summary: text(c['summary'])!,
    description: text(c['description']),
    organizer: { cn: organizer.cn, address: organizer.address },
    attendees: attendees.map((a) => ({
      cn: a.cn,
      address: a.address,
      params: Object.fromEntries(['ROLE', 'PARTSTAT', 'RSVP', 'CN'].filter((k) => a.params[k] !== undefined).map((k) => [k, k === 'RSVP' ? String(a.params[k]).toUpperCase() : String(a.params[k])])), // node-ical makes RSVP a boolean
    })),
  };
}

/** Both parsers' view, checked to agree first. */
function readBoth(ics: string): ReadEvent {
  const viaIcalJs = readWithIcalJs(ics);
  expect(readWithNodeIcal(ics), 'ical.js and node-ical should read the same event').toEqual(viaIcalJs);
  return viaIcalJs;
}

function feedEvent(uid: string): ReadEvent {
  const ics = seriesFeed(schedule, { baseUrl: 'https://convene.example.org' });
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const component = calendar.getAllSubcomponents('vevent').find((c) => c.getFirstPropertyValue('uid') === uid);
  expect(component, `feed event ${uid}`).toBeDefined();
  const event = new ICAL.Event(component!);
  return {
    method: 'PUBLISH',
    uid: event.uid,
    sequence: event.sequence,
    status: String(component!.getFirstPropertyValue('status')),
    start: event.startDate.toJSDate().getTime(),
    end: event.endDate.toJSDate().getTime(),
    dtstamp: (component!.getFirstPropertyValue('dtstamp') as ICAL.Time).toJSDate().getTime(),
    summary: event.summary,
    description: undefined,
    organizer: { cn: undefined, address: '' },
    attendees: [],
  };
}

const ms = (iso: string) => Date.parse(iso);

// ---------------------------------------------------------------------------------------

describe('composeInviteMail: the iTIP REQUEST', () => {
  it('carries one VEVENT whose UID, SEQUENCE, DTSTAMP and instants match the series feed', async () => {
    for (const sessionId of ['opening', 'unpaid-work']) {
      const read = await compose(input({ sessionId }));
      const mine = schedule.sessions.find((s) => s.sessionId === sessionId)!;
      const event = readBoth(read.calendar);
      const feed = feedEvent(sessionUid(schedule.seriesId, sessionId));
      expect(event.method).toBe('REQUEST');
      expect(event.uid).toBe(sessionUid(schedule.seriesId, sessionId));
      expect(event.uid).toBe(feed.uid);
      expect(event.sequence).toBe(mine.sequence);
      expect(event.sequence).toBe(feed.sequence);
      expect(event.dtstamp).toBe(ms(mine.updatedAt));
      expect(event.dtstamp).toBe(feed.dtstamp);
      expect(event.start).toBe(ms(mine.startsAt));
      expect(event.end).toBe(ms(mine.endsAt));
      expect([event.start, event.end]).toEqual([feed.start, feed.end]);
      expect(event.status).toBe('CONFIRMED');
    }
  });

  it('writes 15:00 New York on both sides of the DST change with TZID and a VTIMEZONE', async () => {
    const before = (await compose(input({ sessionId: 'opening' }))).calendar;
    const after = (await compose(input({ sessionId: 'unpaid-work' }))).calendar;
    expect(contentLines(before)).toContain('DTSTART;TZID=America/New_York:20270307T150000');
    expect(contentLines(after)).toContain('DTSTART;TZID=America/New_York:20270321T150000');
    for (const ics of [before, after]) {
      expect(contentLines(ics)).toContain('BEGIN:VTIMEZONE');
      expect(contentLines(ics)).toContain('TZID:America/New_York');
    }
    expect(readBoth(before).start).toBe(ms('2027-03-07T20:00:00Z')); // EST, UTC-5
    expect(readBoth(after).start).toBe(ms('2027-03-21T19:00:00Z')); // EDT, UTC-4
  });

  it('writes a zone whose rules changed since 2018 with its TZID, and a repeated wall time in UTC, like the feed', async () => {
    const zones: SeriesSchedule = {
      ...schedule,
      sessions: [
        // Mexico dropped DST in 2022: the VTIMEZONE generated from the current tz data says so.
        session({ sessionId: 'mx', title: { en: 'Mexico' }, startsAt: '2027-06-01T16:00:00.000Z', endsAt: '2027-06-01T17:00:00.000Z', timeZone: 'America/Mexico_City' }),
        // 01:30 happens twice in New York on 7 November: the second one only UTC can name.
        session({ sessionId: 'twice', title: { en: 'Twice 01:30' }, startsAt: '2027-11-07T06:30:00.000Z', endsAt: '2027-11-07T07:30:00.000Z' }),
      ],
    };
    const feed = contentLines(seriesFeed(zones, { baseUrl: 'https://convene.example.org' }));
    const mexico = (await compose(input({ schedule: zones, sessionId: 'mx' }))).calendar;
    expect(contentLines(mexico)).toContain('DTSTART;TZID=America/Mexico_City:20270601T100000');
    expect(contentLines(mexico)).toContain('TZID:America/Mexico_City');
    expect(contentLines(mexico)).not.toContain('BEGIN:DAYLIGHT');
    expect(readBoth(mexico).start).toBe(ms('2027-06-01T16:00:00Z'));
    expect(feed).toContain('DTSTART;TZID=America/Mexico_City:20270601T100000');
    const twice = (await compose(input({ schedule: zones, sessionId: 'twice' }))).calendar;
    expect(contentLines(twice)).toContain('DTSTART:20271107T063000Z');
    expect(contentLines(twice)).not.toContain('BEGIN:VTIMEZONE');
    expect(readBoth(twice).start).toBe(ms('2027-11-07T06:30:00Z'));
    expect(feed).toContain('DTSTART:20271107T063000Z');
  });

  it('names the organiser and the member as ORGANIZER and ATTENDEE (no RSVP by mail)', async () => {
    const event = readBoth((await compose(input())).calendar);
    expect(event.organizer).toEqual({ cn: 'Training Centre', address: 'mailto:training@example.org' });
    expect(event.attendees).toEqual([
      {
        cn: 'Ana Pérez',
        address: 'mailto:ana@example.org',
        params: { ROLE: 'REQ-PARTICIPANT', PARTSTAT: 'NEEDS-ACTION', RSVP: 'FALSE', CN: 'Ana Pérez' },
      },
    ]);
  });

  it('puts method=REQUEST on the text/calendar part, the same bytes in invite.ics, and both parse alike', async () => {
    const read = await compose(input());
    const type = field(read.calendarPart, 'Content-Type');
    expect(type.toLowerCase()).toMatch(/^text\/calendar;/);
    expect(parameter(type, 'method')).toBe('REQUEST');
    expect(parameter(type, 'charset')?.toLowerCase()).toBe('utf-8');
    const attachmentType = field(read.attachmentPart, 'Content-Type');
    expect(attachmentType.toLowerCase()).toMatch(/^application\/ics;/);
    expect(parameter(attachmentType, 'name')).toBe('invite.ics');
    expect(field(read.attachmentPart, 'Content-Disposition')).toMatch(/^attachment;\s*filename=("?)invite\.ics\1$/);
    expect(read.attachment.equals(Buffer.from(read.calendar, 'utf8')), 'attachment identical to the alternative').toBe(true);
    expect(read.calendar).toBe(inviteCalendar(input()));
    expect(readBoth(read.attachment.toString('utf8'))).toEqual(readBoth(read.calendar));
    // mailparser sees the same: the text and HTML bodies, and the .ics attachment.
    expect(read.parsed.text?.trim()).toBe(read.text.trim());
    expect(read.parsed.html).toBe(read.html);
    const attachments = read.parsed.attachments as readonly { contentType: string; filename?: string; content: Buffer }[];
    const ics = attachments.find((a) => a.filename === 'invite.ics');
    expect(ics?.contentType).toBe('application/ics');
    expect(ics?.content.equals(read.attachment)).toBe(true);
    const calendarAlternative = attachments.find((a) => a.contentType === 'text/calendar');
    if (calendarAlternative) expect(calendarAlternative.content.toString('utf8')).toBe(read.calendar);
  });

  it('folds the calendar at 75 octets with CRLF line ends, even with long multi-byte text', async () => {
    const long: SeriesSchedule = {
      ...schedule,
      sessions: [
        session({
          sessionId: 'long',
          title: { en: 'Économie du soin — travail non rémunéré, politiques publiques et l’égalité des genres dans le monde' },
          description: { en: 'ثلاث جلسات حول اقتصاد الرعاية والعمل غير المأجور '.repeat(4) },
          ...BEFORE_US_DST,
        }),
      ],
    };
    const read = await compose(input({ schedule: long, sessionId: 'long', to: { email: 'ana@example.org', name: 'Ana María de los Ángeles Pérez-Ollantay Quispe Huamán' } }));
    expectFoldedCrlf(read.calendar);
    expectFoldedCrlf(read.attachment.toString('utf8'));
    expect(contentLines(read.calendar).some((line) => Buffer.byteLength(line) > 75), 'something was folded').toBe(true);
    expect(readBoth(read.calendar).summary).toBe(long.sessions[0]!.title.en);
    // The MIME itself: CRLF only, no line over RFC 5322's 998 (a long List-Unsubscribe URL
    // cannot be folded to 78); the quoted-printable calendar part within RFC 2045's 76.
    const raw = read.bytes.toString('latin1');
    expect(raw.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of raw.split('\r\n')) expect(line.length, line).toBeLessThanOrEqual(998);
    for (const line of read.calendarPart.rawBody.split('\r\n')) expect(line.length, line).toBeLessThanOrEqual(76);
  });

  it('gives the join link only when the member may see it', async () => {
    const visible = await compose(input({ sessionId: 'unpaid-work', joinUrlVisible: true }));
    expect(visible.text).toContain(JOIN_URL);
    expect(visible.html).toContain(`href="${JOIN_URL}"`);
    expect(readBoth(visible.calendar).description).toContain(JOIN_URL);
    const hidden = await compose(input({ sessionId: 'unpaid-work', joinUrlVisible: false }));
    for (const text of [hidden.text, hidden.html, hidden.calendar, hidden.attachment.toString('utf8')]) expect(text).not.toContain('webinar.example.org');
  });

  it('describes the time in the member’s zone, in their language', async () => {
    const en = readBoth((await compose(input({ sessionId: 'opening' }))).calendar);
    expect(en.description).toContain('22:00–23:00 (Asia/Jerusalem time)');
    expect(en.description).toContain('15:00 in America/New_York');
    const es = await compose(input({ sessionId: 'opening', language: 'es', memberTimeZone: 'America/Guayaquil' }));
    expect(readBoth(es.calendar).summary).toBe('Conferencia inaugural');
    expect(readBoth(es.calendar).description).toContain('(hora de America/Guayaquil)');
    expect(es.text).toContain('Conferencia inaugural');
  });
});

describe('composeInviteMail: the iTIP CANCEL', () => {
  it('sends METHOD:CANCEL with STATUS:CANCELLED and the bumped SEQUENCE of the feed', async () => {
    const read = await compose(input({ method: 'CANCEL', sessionId: 'closing' }));
    const event = readBoth(read.calendar);
    const feed = feedEvent(sessionUid(schedule.seriesId, 'closing'));
    expect(event.method).toBe('CANCEL');
    expect(contentLines(read.calendar)).toContain('METHOD:CANCEL');
    expect(contentLines(read.calendar)).toContain('STATUS:CANCELLED');
    expect(event.status).toBe('CANCELLED');
    expect(feed.status).toBe('CANCELLED');
    expect(event.uid).toBe(feed.uid);
    expect(event.sequence).toBe(2);
    expect(event.sequence).toBe(feed.sequence);
    expect(event.dtstamp).toBe(feed.dtstamp);
    expect(event.organizer.address).toBe('mailto:training@example.org');
    expect(event.attendees.map((a) => a.address)).toEqual(['mailto:ana@example.org']);
    expect(parameter(field(read.calendarPart, 'Content-Type'), 'method')).toBe('CANCEL');
    expect(read.attachment.toString('utf8')).toBe(read.calendar);
  });

  it('says the organiser’s reason, in the text, the HTML (isolated, lines kept) and the calendar’s DESCRIPTION', async () => {
    const reason = 'الضيفة مريضة.\nWe will send a new date.';
    const cancelled = { ...schedule, sessions: schedule.sessions.map((s) => (s.sessionId === 'closing' ? { ...s, cancellationReason: reason } : s)) };
    for (const [language, label] of [['en', 'The organiser’s reason'], ['fr', 'Motif donné par l’organisation'], ['ar', 'السبب الذي ذكره المنظِّم']] as const) {
      const read = await compose(input({ method: 'CANCEL', sessionId: 'closing', schedule: cancelled, language }));
      expect(read.text).toContain(`${label}: ${reason}`);
      expect(read.html).toContain(`<span dir="auto">الضيفة مريضة.<br>We will send a new date.</span>`);
      expect(readBoth(read.calendar).description?.startsWith(`${label}: ${reason}`)).toBe(true);
    }
    // Someone who left a session that still takes place gets no reason: there is none.
    const removed = await compose(input({ method: 'CANCEL', sessionId: 'opening' }));
    expect(removed.text).not.toContain('reason');
  });

  it('refuses a REQUEST for a cancelled session and an unknown session', async () => {
    await expect(composeInviteMail(input({ sessionId: 'closing' }), options)).rejects.toThrow(/CANCEL/);
    await expect(composeInviteMail(input({ sessionId: 'nope' }), options)).rejects.toThrow(RangeError);
  });
});

describe('composeInviteMail: subjects', () => {
  const cases = [
    { language: 'en', request: 'Invitation: Opening lecture', update: 'Updated: Unpaid work', cancel: 'Cancelled: Closing panel' },
    { language: 'es', request: 'Invitación: Conferencia inaugural', update: 'Actualizada: Trabajo no remunerado', cancel: 'Cancelada: Mesa de clausura' },
    {
      language: 'fr',
      request: 'Invitation\u00a0: Conférence inaugurale',
      update: 'Mise à jour\u00a0: Le travail non rémunéré',
      cancel: 'Annulée\u00a0: Table ronde de clôture',
    },
  ];
  for (const c of cases) {
    it(`is localised in ${c.language}: invitation, update of one the member has, cancellation`, async () => {
      const subjects = await Promise.all(
        [
          input({ language: c.language, sessionId: 'opening' }),
          input({ language: c.language, sessionId: 'unpaid-work', update: true }),
          input({ language: c.language, sessionId: 'closing', method: 'CANCEL' }),
        ].map(async (mail) => {
          const read = await compose(mail);
          const raw = decodeWords(field(read.own, 'Subject'));
          expect(read.parsed.subject).toBe(raw);
          expect(field(read.own, 'Content-Language')).toBe(c.language);
          return raw;
        }),
      );
      expect(subjects).toEqual([c.request, c.update, c.cancel]);
    });
  }

  it('words a first invitation as one whatever the SEQUENCE (seated after a capacity rise, or back after leaving), and an update as one', async () => {
    // SEQUENCE 1, and this member never had it (or had it cancelled): an invitation, at that SEQUENCE.
    const first = await compose(input({ sessionId: 'unpaid-work', sequence: 3 }));
    expect(decodeWords(field(first.own, 'Subject'))).toBe('Invitation: Unpaid work');
    expect(first.text).toContain('Training Centre invites you to “Unpaid work”');
    expect(first.text).not.toMatch(/has changed/);
    expect(readBoth(first.calendar).sequence).toBe(3);
    const update = await compose(input({ sessionId: 'unpaid-work', update: true }));
    expect(decodeWords(field(update.own, 'Subject'))).toBe('Updated: Unpaid work');
    expect(update.text).toContain('Training Centre has changed “Unpaid work”');
  });

  it('has every message in every language the main catalogue has', () => {
    expect(Object.keys(INVITE_CATALOGUE).sort()).toEqual(Object.keys(CATALOGUE).sort());
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [id, english] of Object.entries(INVITE_CATALOGUE.en!)) {
      for (const table of Object.values(INVITE_CATALOGUE)) expect(placeholders(table[id as keyof typeof table]), id).toEqual(placeholders(english));
    }
  });
});

describe('composeInviteMail: untrusted text', () => {
  const evil: SeriesSchedule = {
    ...schedule,
    organiser: { name: 'Centre\r\nBcc: victim@example.net "x"', email: 'training@example.org' },
    sessions: [session({ sessionId: 'evil', title: { en: '<script>alert(1)</script> & "more"\r\nBcc: victim@example.net' }, ...BEFORE_US_DST })],
  };
  const evilInput = input({
    schedule: evil,
    sessionId: 'evil',
    to: { email: 'ana@example.org', name: 'Ana\r\nBcc: victim@example.net\r\nX-Evil: 1' },
  });

  it('lets no CR/LF in names or titles start a header field, in the mail or the calendar', async () => {
    const read = await compose(evilInput);
    const names = read.own.headers.map((h) => h.name.toLowerCase());
    expect(names).not.toContain('bcc');
    expect(names).not.toContain('x-evil');
    expect(fieldValues(read.own, 'To')).toHaveLength(1);
    expect(single(read.parsed.to)?.value.map((v) => v.address)).toEqual(['ana@example.org']);
    expect(read.parsed.headers.has('bcc')).toBe(false);
    expect(read.parsed.headers.has('x-evil')).toBe(false);
    const lines = contentLines(read.calendar);
    expect(lines.filter((l) => /^(BCC|X-EVIL)/i.test(l))).toEqual([]);
    const event = readBoth(read.calendar);
    expect(event.summary).toBe('<script>alert(1)</script> & "more" Bcc: victim@example.net');
    expect(event.attendees.map((a) => [a.cn, a.address])).toEqual([['Ana Bcc: victim@example.net X-Evil: 1', 'mailto:ana@example.org']]);
    expect(event.organizer).toEqual({ cn: "Centre Bcc: victim@example.net 'x'", address: 'mailto:training@example.org' });
  });

  it('escapes a <script> title in the HTML part', async () => {
    const read = await compose(evilInput);
    expect(read.html).not.toContain('<script>');
    expect(read.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;more&quot;');
    expect(read.parsed.html).not.toContain('<script>');
    expect(read.text).toContain('<script>alert(1)</script>'); // plain text is not HTML
  });

  it('refuses an attendee address that could be read as two', async () => {
    await expect(composeInviteMail(input({ to: { email: 'ana@example.org, eve@example.net', name: 'Ana' } }), options)).rejects.toThrow(TypeError);
  });
});
