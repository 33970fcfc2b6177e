/**
 * Every mail to a member who reads Arabic, read back from its raw bytes by mailparser
 * (./read-mail.ts): Arabic subject and text, `Content-Language: ar`, an HTML part that reads
 * right to left (`<html lang="ar" dir="rtl">`, the column too, physical paddings mirrored),
 * each title and name whole inside its own <bdi>, and dates with Arabic month and weekday names
 * and Latin digits (FORMAT_LOCALES: `ar-u-nu-latn`).
 *
 * The series is held in Ramallah (Asia/Hebron); the member lives in Haifa (Asia/Jerusalem).
 * Their 2027 clocks change a day apart (tzdata 2025c, as the Intl data of Node 20 has it):
 * Israel moves to UTC+3 on Friday 26 March at 02:00, Palestine on Saturday 27 March at 02:00.
 * So a session at 17:00 in Ramallah is at 17:00 in Haifa on 19 March (both UTC+2), at 18:00
 * on 26 March (Haifa already UTC+3, Ramallah not yet), and at 17:00 again on 2 April (both
 * UTC+3; 14:00 UTC, an hour earlier than the two before).
 */
import { describe, expect, it } from 'vitest';
import type { RecordingFile, SeriesSchedule } from '../../events/projections/schedule.js';
import { composeChangeRequestMail, composeManageLinkMail, composeWelcomeMail } from '../../functions/mail/account-mail.js';
import { escapeHtml, htmlDocument, mirroredStyles, textDirection } from '../../functions/mail/compose.js';
import { composeConfirmationMail } from '../../functions/mail/confirmation-mail.js';
import { composeInviteMail } from '../../functions/mail/invite-mail.js';
import { composeRecordingMail } from '../../functions/mail/recording-mail.js';
import { composeReminderMail } from '../../functions/mail/reminder-mail.js';
import { single } from './mailparser.js';
import { readMail, unitSpaces, type ReadMail } from './read-mail.js';
import { COMPOSE_OPTIONS, CREATED, MANAGE_URL, UNSUBSCRIBE_MAILTO, UNSUBSCRIBE_URL, scheduledSession } from '../support/schedule-fixtures.js';

/** A series title with a number, a colon and a Latin word: the kind that breaks apart unisolated. */
const SERIES = 'اقتصاد الرعاية 2027: حوار Zoom مفتوح';
/** The session title of the bug this guards against: a number and `#` between Arabic words. */
const SESSION = 'الجلسة 6# حول الرعاية';
const EARLIER = 'الجلسة 5: العمل غير المأجور';
const LATER = 'الجلسة 7: ما بعد الجائحة';
const ORGANISER = 'مركز التدريب – Ramallah';
const MEMBER = 'ليلى حداد';
const JOIN_URL = 'https://webinar.example.org/care/6';

/** The three sessions' times for the member in Haifa, with Ramallah's beside them (see above). */
const WHEN = {
  earlier: 'الجمعة، 19 مارس 2027، 5:00 م–6:30 م (بتوقيت Asia/Jerusalem) · 5:00 م بتوقيت Asia/Hebron',
  session: 'الجمعة، 26 مارس 2027، 6:00 م–7:30 م (بتوقيت Asia/Jerusalem) · 5:00 م بتوقيت Asia/Hebron',
  later: 'الجمعة، 2 أبريل 2027، 5:00 م–6:30 م (بتوقيت Asia/Jerusalem) · 5:00 م بتوقيت Asia/Hebron',
};

const recordingFile: RecordingFile = {
  asset: 'recording',
  uploadId: 'up-recording',
  fileName: 'session-6.mp4',
  contentType: 'video/mp4',
  size: 1_234_567_890,
  objectKey: 'private-uploads/care-network/recording/session-6.mp4',
};

const schedule: SeriesSchedule = {
  seriesId: 'care-network',
  version: 4,
  kind: 'lecture-series',
  title: { ar: SERIES, en: 'The Care Economy 2027' },
  description: {},
  timeZone: 'Asia/Hebron',
  languages: ['ar', 'en'],
  organiser: { name: ORGANISER, email: 'training@example.org' },
  reminderOffsets: ['P1D'],
  createdAt: CREATED,
  updatedAt: CREATED,
  sessions: [
    scheduledSession(CREATED, { sessionId: 's5', title: { ar: EARLIER }, startsAt: '2027-03-19T15:00:00.000Z', endsAt: '2027-03-19T16:30:00.000Z', timeZone: 'Asia/Hebron' }),
    scheduledSession(CREATED, {
      sessionId: 's6',
      title: { ar: SESSION, en: 'Session #6 on care' },
      startsAt: '2027-03-26T15:00:00.000Z',
      endsAt: '2027-03-26T16:30:00.000Z',
      timeZone: 'Asia/Hebron',
      joinUrl: JOIN_URL,
      publication: { status: 'published', publishedAt: '2027-03-27T12:00:00.000Z' },
      recording: { publishedAt: '2027-03-27T12:00:00.000Z', files: [recordingFile] },
    }),
    scheduledSession(CREATED, { sessionId: 's7', title: { ar: LATER }, startsAt: '2027-04-02T14:00:00.000Z', endsAt: '2027-04-02T15:30:00.000Z', timeZone: 'Asia/Hebron' }),
  ],
};

const member = {
  to: { email: 'layla@example.org', name: MEMBER },
  language: 'ar',
  memberTimeZone: 'Asia/Jerusalem',
  unsubscribeUrl: UNSUBSCRIBE_URL,
  unsubscribeMailto: UNSUBSCRIBE_MAILTO,
  manageUrl: MANAGE_URL,
};

const read = async (bytes: Promise<Buffer>) => {
  const mail = await readMail(await bytes);
  return { ...mail, text: unitSpaces(mail.text), html: unitSpaces(mail.html) };
};

/** What every Arabic mail has: the header, the direction, Latin digits, no physical left side. */
function expectArabic(mail: ReadMail, subject: string) {
  expect(mail.subject).toBe(subject);
  expect(mail.lines.get('content-language')).toBe('Content-Language: ar');
  expect(mail.parsed.headers.get('content-language')).toBe('ar');
  expect(single(mail.parsed.to)?.value).toEqual([{ address: 'layla@example.org', name: MEMBER }]);
  expect(mail.html).toContain('<html lang="ar" dir="rtl">');
  // Webmail keeps the content, not <html>: the column says it too.
  expect(mail.html).toMatch(/<body[^>]*>\s*<div lang="ar" dir="rtl" style="/);
  expect(mail.html, 'mirrored for right to left').not.toMatch(/(padding|margin|border)-left|text-align:\s*left|float:\s*left/);
  for (const part of [mail.text, mail.html]) expect(part, 'Latin digits').not.toMatch(/[\u0660-\u0669\u06f0-\u06f9]/);
  expect(mail.html).toContain(`<bdi>${MEMBER}</bdi>`);
  expect(mail.text.split('\n')[0]).toBe(`مرحبًا ${MEMBER}،`);
}

/**
 * Every time `text` appears in the HTML body it is the whole content of an isolating element
 * (<bdi>, or any element with `dir="auto"`): never loose in the sentence, never split.
 */
function expectIsolated(html: string, text: string) {
  const body = html.slice(html.indexOf('<body'));
  const escaped = escapeHtml(text);
  const occurrences = body.split(escaped).length - 1;
  const isolated = body.match(new RegExp(`<(?:bdi|[a-z][a-z0-9]*\\s[^>]*\\bdir="auto"[^>]*)>${escapeRegExp(escaped)}</`, 'g')) ?? [];
  expect(occurrences, `${text} in the HTML`).toBeGreaterThan(0);
  expect(isolated, `every ${text} isolated, whole`).toHaveLength(occurrences);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('the mails to a member who reads Arabic', () => {
  it('the confirmation: in Arabic, right to left, every session at its local time across both DST changes', async () => {
    const mail = await read(
      composeConfirmationMail(
        {
          ...member,
          series: { title: schedule.title, languages: schedule.languages, organiser: schedule.organiser, kind: 'lecture-series' },
          sessions: schedule.sessions.map(({ title, startsAt, endsAt, timeZone, status }) => ({ title, startsAt, endsAt, timeZone, status })),
          confirmUrl: 'https://convene.example.org/registrations/confirm?token=Y29uZmlybQ.c2ln',
        },
        COMPOSE_OPTIONS,
      ),
    );
    expectArabic(mail, `يُرجى تأكيد تسجيلك: ${SERIES}`);
    const lines = mail.text.split('\n');
    expect(lines).toContain(`شكرًا لتسجيلك في سلسلة المحاضرات «${SERIES}»، من تنظيم ${ORGANISER}.`);
    expect(lines).toEqual(expect.arrayContaining([`- ${EARLIER}`, `  ${WHEN.earlier}`, `- ${SESSION}`, `  ${WHEN.session}`, `- ${LATER}`, `  ${WHEN.later}`]));
    for (const title of [SERIES, SESSION, EARLIER, LATER, ORGANISER]) expectIsolated(mail.html, title);
    expect(mail.html).toContain(`<li style="margin:0 0 12px;"><strong><bdi>${SESSION}</bdi></strong><br>${WHEN.session}</li>`);
    expect(mail.html).toContain('<ul style="padding-right:20px;">');
    expect(mail.html).toContain('>تأكيد تسجيلي</a>');
  });

  it('the invitation: in Arabic, right to left, at 18:00 in Haifa on 26 March (Ramallah still at 17:00)', async () => {
    const mail = await read(composeInviteMail({ ...member, method: 'REQUEST', schedule, sessionId: 's6', joinUrlVisible: true }, COMPOSE_OPTIONS));
    expectArabic(mail, `دعوة: ${SESSION}`);
    const lines = mail.text.split('\n');
    expect(lines).toContain(`دعوة من ${ORGANISER} لحضور جلسة «${SESSION}»، ضمن «${SERIES}».`);
    expect(lines).toContain(`الموعد: ${WHEN.session}`);
    expect(lines).toContain(`رابط المشاركة: ${JOIN_URL}`);
    for (const title of [SERIES, SESSION, ORGANISER]) expectIsolated(mail.html, title);
    expect(mail.html).toContain(`<p><strong>الموعد:</strong> ${WHEN.session}</p>`);
  });

  it('the reminder: in Arabic, right to left, the hour moving with Haifa’s clock from one week to the next', async () => {
    const remind = (sessionId: string) =>
      read(composeReminderMail({ ...member, schedule, reminder: { kind: 'before-session', sessionId, offset: 'P1D' }, joinUrlVisible: true }, COMPOSE_OPTIONS));
    const mail = await remind('s6');
    expectArabic(mail, `تذكير: يتبقى يوم على بدء ${SESSION}`);
    expect(mail.text.split('\n')).toEqual(expect.arrayContaining([`يتبقى يوم على بدء جلسة «${SESSION}»، ضمن «${SERIES}».`, `الموعد: ${WHEN.session}`]));
    for (const title of [SERIES, SESSION, ORGANISER]) expectIsolated(mail.html, title);
    // The join link reads left to right inside the Arabic paragraph.
    expect(mail.html).toContain(`<a href="${JOIN_URL}" dir="ltr"`);

    const before = await remind('s5');
    const after = await remind('s7');
    expect(before.text.split('\n')).toContain(`الموعد: ${WHEN.earlier}`);
    expect(after.text.split('\n')).toContain(`الموعد: ${WHEN.later}`);
  });

  it('the recording: in Arabic, right to left, the file and its size isolated', async () => {
    const mail = await read(composeRecordingMail({ ...member, schedule, sessionId: 's6', baseUrl: 'https://convene.example.org' }, COMPOSE_OPTIONS));
    expectArabic(mail, `التسجيل متاح: ${SESSION}`);
    const lines = mail.text.split('\n');
    expect(lines).toContain(`أصبح تسجيل جلسة «${SESSION}»، ضمن «${SERIES}»، متاحًا الآن.`);
    expect(lines).toContain(`موعد الجلسة: ${WHEN.session}`);
    expect(lines).toContain('- مشاهدة التسجيل: session-6.mp4، 1.2 غ.ب');
    for (const title of [SERIES, SESSION, ORGANISER, 'session-6.mp4']) expectIsolated(mail.html, title);
    expect(mail.html).toContain('<ul style="padding-right:20px;">');
  });

  it('the welcome, the change request and the manage link: in Arabic, right to left', async () => {
    const welcome = await read(
      composeWelcomeMail(
        { ...member, schedule, sessions: 'all', feedUrl: 'https://convene.example.org/feeds/members/0123456789abcdef.ics', leaveUrl: 'https://convene.example.org/registrations/unregister?token=bGVhdmU.c2ln' },
        COMPOSE_OPTIONS,
      ),
    );
    expectArabic(welcome, `تم تسجيلك: ${SERIES}`);
    expect(welcome.text.split('\n')).toEqual(
      expect.arrayContaining([`تم تسجيلك في «${SERIES}» من قِبل ${ORGANISER}.`, `- ${SESSION}`, `  ${WHEN.session}`, `- ${LATER}`, `  ${WHEN.later}`]),
    );
    for (const title of [SERIES, SESSION, EARLIER, LATER, ORGANISER]) expectIsolated(welcome.html, title);

    const change = await read(
      composeChangeRequestMail(
        { ...member, schedule, change: { sessions: ['s7'], language: 'ar', timeZone: 'Asia/Hebron' }, reviewUrl: 'https://convene.example.org/registrations/change?token=Y2hhbmdl.c2ln' },
        COMPOSE_OPTIONS,
      ),
    );
    expectArabic(change, `هل طلبت تغيير تسجيلك؟ ${SERIES}`);
    // In the zone asked for: 17:00 in Ramallah, named alone.
    expect(change.text.split('\n')).toEqual(
      expect.arrayContaining([`- ${LATER} (الجمعة، 2 أبريل 2027، 5:00 م–6:30 م (بتوقيت Asia/Hebron))`, 'اللغة: العربية', 'المنطقة الزمنية: Asia/Hebron']),
    );
    for (const title of [SERIES, LATER, ORGANISER]) expectIsolated(change.html, title);

    const manage = await read(composeManageLinkMail({ ...member, replyTo: { name: 'Convene', email: 'help@convene.example.org' } }, COMPOSE_OPTIONS));
    expectArabic(manage, 'رابطك لإدارة تسجيلاتك');
    expect(manage.html).toContain(`<a href="${MANAGE_URL}"`);
    expect(manage.html).toContain('>فتح صفحتي</a>');
  });

  it('a member tagged ar-PS reads the same Arabic, with Latin digits too', async () => {
    const mail = await read(composeInviteMail({ ...member, language: 'ar-PS', method: 'REQUEST', schedule, sessionId: 's6', joinUrlVisible: true }, COMPOSE_OPTIONS));
    expectArabic(mail, `دعوة: ${SESSION}`);
    // The Levantine month name of the member's region (آذار), its digits Latin as for a bare ar.
    expect(mail.text.split('\n')).toContain('الموعد: الجمعة، 26 آذار 2027، 6:00 م–7:30 م (بتوقيت Asia/Jerusalem) · 5:00 م بتوقيت Asia/Hebron');
  });
});

describe('htmlDocument: direction', () => {
  it.each([
    ['ar', 'rtl'],
    ['ar-PS', 'rtl'],
    ['he', 'rtl'],
    ['fa-IR', 'rtl'],
    ['ur', 'rtl'],
    ['en', 'ltr'],
    ['es-419', 'ltr'],
    ['fr', 'ltr'],
    ['arn', 'ltr'],
  ] as const)('%s is %s', (language, dir) => {
    expect(textDirection(language)).toBe(dir);
    const html = htmlDocument(language, 'Subject', '<ul style="padding-left:20px;"><li>x</li></ul>\n');
    expect(html).toContain(`<html lang="${language}" dir="${dir}">`);
    expect(html).toContain(`<div lang="${language}" dir="${dir}" style="max-width:600px;margin:0 auto;padding:24px;`);
    expect(html).toContain(dir === 'rtl' ? '<ul style="padding-right:20px;">' : '<ul style="padding-left:20px;">');
  });

  it('mirrors the physical sides of inline styles, and nothing else', () => {
    expect(mirroredStyles('<p style="text-align:left;padding-left:8px;margin-right:4px;border-left:1px solid #ccc;float:right;">')).toBe(
      '<p style="text-align:right;padding-right:8px;margin-left:4px;border-right:1px solid #ccc;float:left;">',
    );
    expect(mirroredStyles('<td style="padding:1px 2px 3px 4px;margin:0 auto;text-align:center;">')).toBe('<td style="padding:1px 4px 3px 2px;margin:0 auto;text-align:center;">');
    // Text is not style: a title that says "padding-left" stays as it is.
    expect(mirroredStyles('<p>padding-left: left &quot;style=&quot;</p>')).toBe('<p>padding-left: left &quot;style=&quot;</p>');
  });
});
