/**
 * The mails about a member's own registrations (functions/mail/account-mail.ts): the change
 * someone asked for with their address, the welcome of a member an organiser registered, and
 * the manage link they asked for. Each is read back from its raw bytes by two parsers
 * (mailparser, and the small reader in ./raw-mime.ts), in English, Spanish and French, with
 * session times in the member's zone on both sides of a DST change.
 */
import { describe, expect, it } from 'vitest';
import type { SeriesSchedule } from '../../events/projections/schedule.js';
import {
  composeChangeRequestMail,
  composeManageLinkMail,
  composeWelcomeMail,
  type ChangeRequestMailInput,
  type ManageLinkMailInput,
  type WelcomeMailInput,
} from '../../functions/mail/account-mail.js';
import { readMail, type ReadMail } from './read-mail.js';
import { single } from './mailparser.js';
import { field, mailbox, multipartParts, readPart, textBody } from './raw-mime.js';
import { COMPOSE_OPTIONS, CREATED, MANAGE_URL, UNSUBSCRIBE_MAILTO, UNSUBSCRIBE_URL, scheduledSession } from '../support/schedule-fixtures.js';

const REVIEW_URL = 'https://convene.example.org/registrations/change?token=Y2hhbmdl.c2ln';
const LEAVE_URL = 'https://convene.example.org/registrations/unregister?token=bGVhdmU.c2ln';
const FEED_URL = 'https://convene.example.org/feeds/members/0123456789abcdef0123456789abcdef.ics';

/** 15:00 New York on both sides of the US change (14 March 2027); Jerusalem changes only on 26 March. */
const BEFORE_US_DST = { startsAt: '2027-03-07T20:00:00.000Z', endsAt: '2027-03-07T21:00:00.000Z' };
const AFTER_US_DST = { startsAt: '2027-03-21T19:00:00.000Z', endsAt: '2027-03-21T20:00:00.000Z' };
const ARABIC_TITLE = 'اقتصاد الرعاية: العمل غير المأجور';

const schedule: SeriesSchedule = {
  seriesId: 'care-economy',
  version: 7,
  kind: 'lecture-series',
  title: { en: 'The Care Economy', es: 'La economía del cuidado', fr: 'L’économie du soin' },
  description: {},
  timeZone: 'America/New_York',
  languages: ['en', 'es', 'fr'],
  organiser: { name: 'Training Centre', email: 'training@example.org' },
  reminderOffsets: ['P1D'],
  createdAt: CREATED,
  updatedAt: CREATED,
  sessions: [
    scheduledSession(CREATED, { sessionId: 'unpaid-work', title: { en: ARABIC_TITLE }, ...AFTER_US_DST }),
    scheduledSession(CREATED, { sessionId: 'opening', title: { en: 'Opening lecture', es: 'Conferencia inaugural', fr: 'Conférence inaugurale' }, ...BEFORE_US_DST }),
    scheduledSession(CREATED, { sessionId: 'called-off', title: { en: 'Called off' }, ...AFTER_US_DST, status: 'cancelled' }),
  ],
};

const member = {
  to: { email: 'ana@example.org', name: 'Ana Pérez' },
  memberTimeZone: 'Asia/Jerusalem',
  unsubscribeUrl: UNSUBSCRIBE_URL,
  unsubscribeMailto: UNSUBSCRIBE_MAILTO,
  manageUrl: MANAGE_URL,
};

interface Both extends ReadMail {
  /** The text and HTML bodies as the second reader decodes them. */
  readonly own: { readonly text: string; readonly html: string; readonly to: { name: string; address: string }; readonly replyTo: { name: string; address: string } };
}

/** Reads a mail with both parsers; their text and HTML bodies must agree. */
async function both(bytes: Buffer): Promise<Both> {
  const read = await readMail(bytes);
  const message = readPart(bytes.toString('latin1'));
  const parts = multipartParts(message);
  const body = (type: string) => textBody(parts.find((p) => field(p, 'Content-Type').startsWith(type))!);
  const own = { text: body('text/plain'), html: body('text/html'), to: mailbox(field(message, 'To')), replyTo: mailbox(field(message, 'Reply-To')) };
  expect(own.text).toBe(read.text.replace(/\r\n/g, '\n'));
  expect(own.html.trim()).toBe(read.html.trim());
  return { ...read, own };
}

const lines = (text: string) => text.split('\n');

describe('the welcome mail of a member an organiser registered', () => {
  const welcome = (input: Partial<WelcomeMailInput> = {}) =>
    composeWelcomeMail({ ...member, language: 'en', schedule, sessions: 'all', feedUrl: FEED_URL, leaveUrl: LEAVE_URL, ...input }, COMPOSE_OPTIONS);

  it.each([
    { language: 'en', subject: 'You are registered: The Care Economy', intro: 'Training Centre registered you for “The Care Economy”.', opening: 'Opening lecture', first: 'Sunday, 7 March 2027, 22:00–23:00 (Asia/Jerusalem time) · 15:00 in America/New_York', second: 'Sunday, 21 March 2027, 21:00–22:00 (Asia/Jerusalem time) · 15:00 in America/New_York' },
    { language: 'es', subject: 'Está inscrito: La economía del cuidado', intro: 'Training Centre le inscribió en «La economía del cuidado».', opening: 'Conferencia inaugural', first: 'domingo, 7 de marzo de 2027, 22:00–23:00 (hora de Asia/Jerusalem) · 15:00 en America/New_York', second: 'domingo, 21 de marzo de 2027, 21:00–22:00 (hora de Asia/Jerusalem) · 15:00 en America/New_York' },
    { language: 'fr', subject: 'Vous êtes inscrit·e\u00a0: L’économie du soin', intro: 'Training Centre vous a inscrit·e à «\u00a0L’économie du soin\u00a0».', opening: 'Conférence inaugurale', first: 'dimanche 7 mars 2027, 22:00–23:00 (heure de Asia/Jerusalem) · 15:00 à America/New_York', second: 'dimanche 21 mars 2027, 21:00–22:00 (heure de Asia/Jerusalem) · 15:00 à America/New_York' },
  ])('in $language: who registered them, the sessions in their zone across the DST change, feed, page and leave links', async ({ language, subject, intro, opening, first, second }) => {
    const mail = await both(await welcome({ language }));
    expect(mail.subject).toBe(subject);
    expect(mail.parsed.headers.get('content-language')).toBe(language);
    expect(single(mail.parsed.to)?.value).toEqual([{ address: 'ana@example.org', name: 'Ana Pérez' }]);
    expect(mail.own.replyTo).toEqual({ name: 'Training Centre', address: 'training@example.org' });
    const text = lines(mail.text);
    expect(text).toContain(intro);
    // Earliest first; the New York hour stays 15:00 while Jerusalem's moves from 22:00 to 21:00.
    expect(text).toEqual(expect.arrayContaining([`- ${opening}`, `  ${first}`, `- ${ARABIC_TITLE}`, `  ${second}`]));
    expect(text.indexOf(`- ${opening}`)).toBeLessThan(text.indexOf(`- ${ARABIC_TITLE}`));
    expect(mail.text).not.toContain('Called off');
    for (const url of [FEED_URL, MANAGE_URL, LEAVE_URL]) expect(text).toContain(url);
    expect(mail.html).toContain(`<html lang="${language}" dir="ltr">`);
    expect(mail.html).toContain(`<bdi>${ARABIC_TITLE}</bdi>`);
    expect(mail.html).toContain(`href="${MANAGE_URL}"`);
    expect(mail.html).not.toContain('Called off');
    expect(mail.lines.get('list-unsubscribe')).toBe(`List-Unsubscribe: <${UNSUBSCRIBE_URL}>, <${UNSUBSCRIBE_MAILTO}>`);
  });

  it('says where to get a new calendar link when the member has one already (it is not kept in clear)', async () => {
    const mail = await both(await welcome({ feedUrl: undefined }));
    expect(mail.text).not.toContain('/feeds/members/');
    expect(lines(mail.text)).toContain('The sessions are also in your personal calendar link, the one you already use. Lost it? Get a new one from your page.');
  });

  it('lists only the sessions they were registered for', async () => {
    const mail = await both(await welcome({ sessions: ['opening'] }));
    expect(lines(mail.text)).toContain('- Opening lecture');
    expect(mail.text).not.toContain(ARABIC_TITLE);
  });

  it('greets no name when the directory has none, and puts the address alone in To', async () => {
    const mail = await both(await welcome({ to: { email: 'ana@example.org', name: '' } }));
    expect(lines(mail.text)[0]).toBe('Hello,');
    expect(mail.own.to).toEqual({ name: '', address: 'ana@example.org' });
  });
});

describe('the change someone asked for with the member’s address', () => {
  const change = (input: Partial<ChangeRequestMailInput> = {}) =>
    composeChangeRequestMail(
      { ...member, language: 'en', schedule, change: { sessions: ['unpaid-work'], language: 'es', timeZone: 'America/Guayaquil' }, reviewUrl: REVIEW_URL, ...input },
      COMPOSE_OPTIONS,
    );

  it.each([
    { language: 'en', subject: 'Did you ask to change your registration? The Care Economy', languageLine: 'Language: Spanish', zoneLine: 'Time zone: America/Guayaquil', button: 'Review the change' },
    { language: 'es', subject: '¿Pidió cambiar su inscripción? La economía del cuidado', languageLine: 'Idioma: español', zoneLine: 'Zona horaria: America/Guayaquil', button: 'Revisar el cambio' },
    { language: 'fr', subject: 'Avez-vous demandé à modifier votre inscription\u00a0? L’économie du soin', languageLine: 'Langue\u00a0: espagnol', zoneLine: 'Fuseau horaire\u00a0: America/Guayaquil', button: 'Voir la modification' },
  ])('in $language: names what was asked, in the asked zone, and links to review it, which alone applies it', async ({ language, subject, languageLine, zoneLine, button }) => {
    const mail = await both(await change({ language }));
    expect(mail.subject).toBe(subject);
    const text = lines(mail.text);
    expect(text).toEqual(expect.arrayContaining([languageLine, zoneLine, REVIEW_URL]));
    // The added session's time in the zone asked for: 14:00 in Guayaquil (UTC-5 all year).
    expect(mail.text).toContain(`- ${ARABIC_TITLE} (`);
    expect(mail.text).toMatch(/14:00–15:00 \([^)]*America\/Guayaquil/);
    expect(mail.html).toMatch(new RegExp(`<a href="${REVIEW_URL.replace(/[.?]/g, '\\$&')}"[^>]*>${button}</a>`));
    expect(mail.html).toContain(`<bdi>${ARABIC_TITLE}</bdi>`);
  });

  it('lists no sessions when only the language or zone was asked', async () => {
    const mail = await both(await change({ change: { language: 'fr', timeZone: 'Asia/Jerusalem' } }));
    expect(mail.text).not.toContain('Add these sessions:');
    expect(lines(mail.text)).toContain('Language: French');
  });
});

describe('the manage link a member asked for', () => {
  const manage = (input: Partial<ManageLinkMailInput> = {}) =>
    composeManageLinkMail({ ...member, language: 'en', replyTo: { name: 'Convene', email: 'help@convene.example.org' }, ...input }, COMPOSE_OPTIONS);

  it.each([
    { language: 'en', subject: 'Your link to manage your registrations', button: 'Open my page' },
    { language: 'es', subject: 'Su enlace para gestionar sus inscripciones', button: 'Abrir mi página' },
    { language: 'fr', subject: 'Votre lien pour gérer vos inscriptions', button: null },
  ])('in $language: the page link, how long it works, and no organiser behind it', async ({ language, subject, button }) => {
    const mail = await both(await manage({ language }));
    expect(mail.subject).toBe(subject);
    expect(lines(mail.text)).toContain(MANAGE_URL);
    expect(mail.own.replyTo).toEqual({ name: 'Convene', address: 'help@convene.example.org' });
    expect(mail.html).toContain(`href="${MANAGE_URL}"`);
    if (button) expect(mail.html).toContain(`>${button}</a>`);
    expect(mail.text).not.toContain('Training Centre');
  });
});
