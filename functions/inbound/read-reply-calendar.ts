/**
 * The iCalendar side of reading a calendar app's REPLY (RFC 5546 §3.2.3): one calendar part's
 * text, parsed by ical.js, to the answer it carries, or a DroppedMailError saying why it carries
 * none.
 *
 * - METHOD is the VCALENDAR's, else the Content-Type's `method=` (Apple's iCal put it in the
 *   object only; RFC 6047 wants both, equal); both present and different is malformed.
 *   Anything but REPLY (COUNTER, REFRESH, REQUEST, CANCEL, DECLINECOUNTER) is not an answer.
 * - Every VEVENT must have the one UID and a UTC DTSTAMP; SEQUENCE is 0 when absent.
 * - The answer is the one ATTENDEE whose PARTSTAT is ACCEPTED, TENTATIVE or DECLINED, compared
 *   without regard to case (some clients write it in lower case). NEEDS-ACTION, DELEGATED and
 *   unknown values are no answer; two attendees answering, or one answering differently in two
 *   VEVENTs, is ambiguous.
 * - Addresses are `mailto:` (any case: `MAILTO:` is common) or, for another URI, the EMAIL
 *   parameter (RFC 7986). ORGANIZER is optional: Outlook and Exchange leave it out of a REPLY.
 *
 * No message names an address, a UID or a line of the calendar: ical.js's own error messages
 * quote the offending line, so they are never passed on.
 */
import ICAL from 'ical.js';
import { DroppedMailError, loggable } from './reply-errors.js';

export type ReplyStatus = 'ACCEPTED' | 'TENTATIVE' | 'DECLINED';

/** A COMMENT is the member's own words; it is kept to this many characters. */
export const MAX_COMMENT_CHARS = 2000;

export interface CalendarReading {
  readonly uid: string;
  readonly sequence: number;
  /** ISO 8601, UTC. */
  readonly dtstamp: string;
  readonly organizer: string | undefined;
  readonly attendee: { readonly email: string; readonly status: ReplyStatus; readonly comment?: string };
}

const ANSWERS: ReadonlySet<string> = new Set<ReplyStatus>(['ACCEPTED', 'TENTATIVE', 'DECLINED']);

const malformed = (message: string) => new DroppedMailError('malformed-calendar', message);

/** The answer one calendar part carries; `contentTypeMethod` is its Content-Type's `method=`. */
export function readCalendar(text: string, contentTypeMethod: string | undefined): CalendarReading {
  try {
    return reading(vcalendar(text), contentTypeMethod);
  } catch (error) {
    if (error instanceof DroppedMailError) throw error;
    // ical.js decodes values lazily: a bad DTSTAMP or SEQUENCE throws here, quoting the line.
    throw malformed('the calendar part is not valid iCalendar');
  }
}

function vcalendar(text: string): ICAL.Component {
  let jcal: unknown;
  try {
    jcal = ICAL.parse(text);
  } catch {
    throw malformed('the calendar part is not valid iCalendar');
  }
  if (!Array.isArray(jcal) || jcal.length === 0) throw malformed('the calendar part is not valid iCalendar');
  if (Array.isArray(jcal[0])) throw malformed(`the calendar part holds ${jcal.length} calendars, not one`);
  const component = new ICAL.Component(jcal);
  if (component.name !== 'vcalendar') throw malformed('the calendar part holds no VCALENDAR');
  return component;
}

function reading(calendar: ICAL.Component, contentTypeMethod: string | undefined): CalendarReading {
  const declared = textValue(calendar.getFirstPropertyValue('method'))?.toUpperCase();
  const announced = contentTypeMethod?.trim().toUpperCase() || undefined;
  if (declared && announced && declared !== announced) {
    throw malformed(`METHOD is ${loggable(declared)} but the Content-Type says method=${loggable(announced)}`);
  }
  const method = declared ?? announced;
  if (!method) throw new DroppedMailError('not-a-reply', 'the calendar has no METHOD');
  if (method !== 'REPLY') throw new DroppedMailError('not-a-reply', `METHOD is ${loggable(method)}, not REPLY`);

  const events = calendar.getAllSubcomponents('vevent');
  if (events.length === 0) throw malformed('the calendar has no VEVENT');
  const uids = new Set(events.map((event) => textValue(event.getFirstPropertyValue('uid'))));
  if (uids.has(undefined)) throw malformed('a VEVENT has no UID');
  if (uids.size > 1) throw new DroppedMailError('ambiguous', `the calendar has VEVENTs of ${uids.size} UIDs`);
  const first = events[0]!;
  const stamps = events.map(dtstamp);

  return {
    uid: [...uids][0]!,
    sequence: sequence(first),
    dtstamp: stamps[0]!,
    organizer: address(first.getFirstProperty('organizer')),
    attendee: answer(events),
  };
}

function dtstamp(event: ICAL.Component): string {
  const value = event.getFirstPropertyValue('dtstamp');
  if (value === null) throw malformed('a VEVENT has no DTSTAMP');
  if (!(value instanceof ICAL.Time) || value.isDate || value.zone !== ICAL.Timezone.utcTimezone) {
    throw malformed('DTSTAMP is not a UTC date-time');
  }
  return value.toJSDate().toISOString();
}

function sequence(event: ICAL.Component): number {
  const value = event.getFirstPropertyValue('sequence');
  if (value === null) return 0;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw malformed('SEQUENCE is not a whole number');
  return value;
}

/** The one answer of the VEVENTs' attendees. */
function answer(events: readonly ICAL.Component[]): CalendarReading['attendee'] {
  const attendees = events.flatMap((event) => event.getAllProperties('attendee').map((property) => ({ event, property })));
  if (attendees.length === 0) throw malformed('the calendar has no ATTENDEE');
  const answers = attendees
    .map(({ event, property }) => ({ event, property, status: parameter(property, 'partstat')?.toUpperCase() ?? 'NEEDS-ACTION' }))
    .filter((a) => ANSWERS.has(a.status));
  if (answers.length === 0) {
    const statuses = [...new Set(attendees.map(({ property }) => loggable(parameter(property, 'partstat')?.toUpperCase() ?? 'NEEDS-ACTION')))];
    throw new DroppedMailError('not-a-reply', `no ATTENDEE answers (PARTSTAT ${statuses.join(', ')})`);
  }
  const read = answers.map((a) => {
    const email = address(a.property);
    if (!email) throw malformed('the answering ATTENDEE has no mail address');
    return { email, status: a.status as ReplyStatus, event: a.event };
  });
  const emails = new Set(read.map((a) => a.email));
  if (emails.size > 1) throw new DroppedMailError('ambiguous', `${emails.size} ATTENDEEs answer`);
  if (new Set(read.map((a) => a.status)).size > 1) throw new DroppedMailError('ambiguous', 'the ATTENDEE answers differently in two VEVENTs');
  const { email, status, event } = read[0]!;
  const comment = commentOf(event);
  return comment ? { email, status, comment } : { email, status };
}

/** The first non-empty COMMENT (Outlook writes an empty `\n` one when nothing was typed). */
function commentOf(event: ICAL.Component): string | undefined {
  for (const property of event.getAllProperties('comment')) {
    const text = textValue(property.getFirstValue());
    if (text) return text.length > MAX_COMMENT_CHARS ? text.slice(0, MAX_COMMENT_CHARS) : text;
  }
  return undefined;
}

/** An ORGANIZER's or ATTENDEE's mail address, lower-cased: its mailto: value, else its EMAIL parameter. */
function address(property: ICAL.Property | null): string | undefined {
  if (!property) return undefined;
  const value = textValue(property.getFirstValue());
  if (value && /^mailto:/i.test(value)) return mailAddress(value.slice('mailto:'.length));
  const email = parameter(property, 'email');
  return email ? mailAddress(email) : undefined;
}

function mailAddress(text: string): string | undefined {
  let address = text.trim();
  try {
    address = decodeURIComponent(address);
  } catch {
    // Not percent-encoded after all: read as written.
  }
  address = address.trim().toLowerCase();
  return /^[^\s@<>()",;:]+@[^\s@<>()",;:]+$/.test(address) ? address : undefined;
}

function parameter(property: ICAL.Property, name: string): string | undefined {
  const value: unknown = property.getParameter(name);
  const first = Array.isArray(value) ? (value as unknown[])[0] : value;
  return typeof first === 'string' && first.trim() ? first.trim() : undefined;
}

function textValue(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}
