/**
 * The reminder mail, read back from its raw bytes by mailparser: before a session, on the
 * day a virtual dialogue opens, and some days before it closes. Plain multipart/alternative
 * (text + HTML), no calendar part, in the member's language (else the series' first), with
 * times in the member's zone, named, and the home zone's beside them.
 */
import { describe, expect, it } from 'vitest';
import type { ScheduledSession, SeriesSchedule } from '../../events/projections/schedule.js';
import { CATALOGUE } from '../../functions/mail/catalogue.js';
import { REMINDER_CATALOGUE } from '../../functions/mail/reminder-catalogue.js';
import { composeReminderMail, reminderContent, type ReminderMailInput, type ReminderSpec } from '../../functions/mail/reminder-mail.js';
import { single } from './mailparser.js';
import { contentTypes, readMail, unitSpaces } from './read-mail.js';
import { COMPOSE_OPTIONS, CREATED, UNSUBSCRIBE_MAILTO, UNSUBSCRIBE_URL, scheduledSession } from '../support/schedule-fixtures.js';

const options = COMPOSE_OPTIONS;
const JOIN_URL = 'https://webinar.example.org/care-economy/unpaid-work';
const created = CREATED;

/**
 * 15:00 New York on both sides of the US change (14 March 2027): EST (UTC-5), then EDT
 * (UTC-4). London changes only on 28 March, so it is 5 hours ahead of New York before the
 * US change and 4 hours after.
 */
const BEFORE_US_DST = { startsAt: '2027-03-07T20:00:00.000Z', endsAt: '2027-03-07T21:00:00.000Z' };
const AFTER_US_DST = { startsAt: '2027-03-21T19:00:00.000Z', endsAt: '2027-03-21T20:00:00.000Z' };

const session = (fields: Parameters<typeof scheduledSession>[1]) => scheduledSession(created, fields);

const lectures: SeriesSchedule = {
  seriesId: 'care-economy',
  version: 6,
  kind: 'lecture-series',
  title: { en: 'The Care Economy', es: 'La economía del cuidado', fr: 'L’économie du soin' },
  description: {},
  timeZone: 'America/New_York',
  languages: ['en', 'es', 'fr'],
  organiser: { name: 'Training Centre', email: 'training@example.org' },
  reminderOffsets: ['P1D', 'PT1H'],
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
    }),
    session({
      sessionId: 'closing',
      title: { en: 'Closing panel', es: 'Mesa de clausura', fr: 'Table ronde de clôture' },
      startsAt: '2027-03-28T19:00:00.000Z',
      endsAt: '2027-03-28T20:30:00.000Z',
      status: 'cancelled',
      sequence: 2,
    }),
  ],
};

/** A dialogue in Paris, French first; its window is 3 to 14 May 2027 (both days included). */
const dialogue: SeriesSchedule = {
  ...lectures,
  seriesId: 'future-of-work',
  kind: 'virtual-dialogue',
  title: { en: 'The Future of Work', es: 'El futuro del trabajo', fr: 'L’avenir du travail' },
  timeZone: 'Europe/Paris',
  languages: ['fr', 'en', 'es'],
  window: { opens: '2027-05-03', closes: '2027-05-14' },
  sessions: [
    // 18:00 in Paris (CEST, UTC+2), 12:00 in New York (EDT, UTC-4).
    session({
      sessionId: 'kick-off',
      title: { en: 'Kick-off conversation', es: 'Conversación inicial', fr: 'Conversation d’ouverture' },
      startsAt: '2027-05-04T16:00:00.000Z',
      endsAt: '2027-05-04T17:00:00.000Z',
      timeZone: 'Europe/Paris',
    }),
    session({
      sessionId: 'q-and-a',
      title: { en: 'Questions and answers', es: 'Preguntas y respuestas', fr: 'Questions et réponses' },
      startsAt: '2027-05-10T16:00:00.000Z',
      endsAt: '2027-05-10T17:00:00.000Z',
      timeZone: 'Europe/Paris',
      status: 'cancelled',
    }),
  ],
};

const BEFORE_SESSION: ReminderSpec = { kind: 'before-session', sessionId: 'unpaid-work', offset: 'P1D' };
const OPENS: ReminderSpec = { kind: 'dialogue-opens' };
const CLOSES: ReminderSpec = { kind: 'dialogue-closes', offset: 'P3D' };

function input(overrides: Partial<ReminderMailInput> = {}): ReminderMailInput {
  return {
    to: { email: 'ana@example.org', name: 'Ana Pérez' },
    language: 'en',
    memberTimeZone: 'Europe/London',
    schedule: lectures,
    reminder: BEFORE_SESSION,
    joinUrlVisible: true,
    unsubscribeUrl: UNSUBSCRIBE_URL,
    unsubscribeMailto: UNSUBSCRIBE_MAILTO,
    manageUrl: 'https://convene.example.org/manage?token=m.test',
    ...overrides,
  };
}

const dialogueInput = (overrides: Partial<ReminderMailInput> = {}) =>
  input({ schedule: dialogue, reminder: OPENS, memberTimeZone: 'America/New_York', ...overrides });

const compose = async (mail: ReminderMailInput) => readMail(await composeReminderMail(mail, options));

// ---------------------------------------------------------------------------------------

describe('composeReminderMail: the envelope', () => {
  it('carries one-click unsubscribe (https and mailto), Content-Language and Auto-Submitted', async () => {
    for (const [mail, language] of [
      [input(), 'en'],
      [input({ language: 'es' }), 'es'],
      [dialogueInput({ reminder: CLOSES, language: 'fr' }), 'fr'],
    ] as const) {
      const { parsed, lines } = await compose(mail);
      expect(lines.get('list-unsubscribe')).toBe(`List-Unsubscribe: <${UNSUBSCRIBE_URL}>, <${UNSUBSCRIBE_MAILTO}>`);
      expect(lines.get('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
      expect(parsed.headers.get('list')).toEqual({
        unsubscribe: { url: UNSUBSCRIBE_URL, mail: UNSUBSCRIBE_MAILTO.slice('mailto:'.length) },
        'unsubscribe-post': { name: 'List-Unsubscribe=One-Click' },
      });
      expect(lines.get('content-language')).toBe(`Content-Language: ${language}`);
      expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');
      expect(single(parsed.to)?.value).toEqual([{ address: 'ana@example.org', name: 'Ana Pérez' }]);
      expect(parsed.replyTo?.value).toEqual([{ address: 'training@example.org', name: 'Training Centre' }]);
      expect(single(parsed.from)?.value).toEqual([{ address: 'no-reply@convene.example.org', name: 'Convene' }]);
    }
  });

  it('is multipart/alternative, text then HTML, with no calendar part or attachment, for every kind', async () => {
    for (const mail of [input(), dialogueInput(), dialogueInput({ reminder: CLOSES })]) {
      const { bytes, parsed } = await compose(mail);
      expect(contentTypes(bytes)).toEqual(['multipart/alternative', 'text/plain', 'text/html']);
      expect(parsed.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
      expect(bytes.toString('latin1')).not.toMatch(/text\/calendar|\.ics/i);
      expect(parsed.attachments).toHaveLength(0);
    }
  });
});

describe('composeReminderMail: before a session', () => {
  const OFFSETS = ['P7D', 'P1W', 'P1D', 'PT1H', 'PT30M', 'P1DT12H'] as const;
  const SUBJECTS = {
    en: [
      'Reminder: Unpaid work starts in 7 days',
      'Reminder: Unpaid work starts in 1 week',
      'Reminder: Unpaid work starts in 1 day',
      'Reminder: Unpaid work starts in 1 hour',
      'Reminder: Unpaid work starts in 30 minutes',
      'Reminder: Unpaid work starts in 1 day and 12 hours',
    ],
    es: [
      'Recordatorio: Trabajo no remunerado comienza dentro de 7 días',
      'Recordatorio: Trabajo no remunerado comienza dentro de 1 semana',
      'Recordatorio: Trabajo no remunerado comienza dentro de 1 día',
      'Recordatorio: Trabajo no remunerado comienza dentro de 1 hora',
      'Recordatorio: Trabajo no remunerado comienza dentro de 30 minutos',
      'Recordatorio: Trabajo no remunerado comienza dentro de 1 día y 12 horas',
    ],
    fr: [
      'Rappel\u00a0: Le travail non rémunéré commence dans 7 jours',
      'Rappel\u00a0: Le travail non rémunéré commence dans 1 semaine',
      'Rappel\u00a0: Le travail non rémunéré commence dans 1 jour',
      'Rappel\u00a0: Le travail non rémunéré commence dans 1 heure',
      'Rappel\u00a0: Le travail non rémunéré commence dans 30 minutes',
      'Rappel\u00a0: Le travail non rémunéré commence dans 1 jour et 12 heures',
    ],
  } as const;

  for (const language of ['en', 'es', 'fr'] as const) {
    it(`says how long until the session in words, in ${language}`, async () => {
      const subjects = OFFSETS.map(
        (offset) => unitSpaces(reminderContent(input({ language, reminder: { kind: 'before-session', sessionId: 'unpaid-work', offset } })).subject),
      );
      expect(subjects).toEqual(SUBJECTS[language]);
      // And the Subject header a mail client decodes is that subject.
      const read = await compose(input({ language, reminder: { kind: 'before-session', sessionId: 'unpaid-work', offset: 'P1DT12H' } }));
      expect(unitSpaces(read.subject)).toBe(SUBJECTS[language][5]);
    });
  }

  const BODIES = [
    {
      language: 'en',
      greeting: 'Hello Ana Pérez,',
      intro: '“Unpaid work”, part of “The Care Economy”, starts in 1 day.',
      when: 'When: Sunday, 21 March 2027, 19:00–20:00 (Europe/London time) · 15:00 in America/New_York',
      join: `Join: ${JOIN_URL}`,
      calendar: 'This session is already in your calendar.',
      footer: [
        'Questions? Reply to this mail to reach Training Centre.',
        'Sent by Convene on behalf of Training Centre.',
        `No more mail about this series? Unsubscribe: ${UNSUBSCRIBE_URL}`,
      ],
      unsubscribe: 'Unsubscribe',
    },
    {
      language: 'es',
      greeting: 'Hola, Ana Pérez:',
      intro: '«Trabajo no remunerado», que forma parte de «La economía del cuidado», comienza dentro de 1 día.',
      when: 'Cuándo: domingo, 21 de marzo de 2027, 19:00–20:00 (hora de Europe/London) · 15:00 en America/New_York',
      join: `Enlace para participar: ${JOIN_URL}`,
      calendar: 'Esta sesión ya está en su calendario.',
      footer: [
        '¿Preguntas? Responda a este mensaje para escribir a Training Centre.',
        'Enviado por Convene en nombre de Training Centre.',
        `¿No desea recibir más correos sobre esta serie? Darse de baja: ${UNSUBSCRIBE_URL}`,
      ],
      unsubscribe: 'Darse de baja',
    },
    {
      language: 'fr',
      greeting: 'Bonjour Ana Pérez,',
      intro: '«\u00a0Le travail non rémunéré\u00a0», qui fait partie de «\u00a0L’économie du soin\u00a0», commence dans 1 jour.',
      when: 'Quand: dimanche 21 mars 2027, 19:00–20:00 (heure de Europe/London) · 15:00 à America/New_York',
      join: `Lien pour participer: ${JOIN_URL}`,
      calendar: 'Cette séance figure déjà dans votre agenda.',
      footer: [
        'Des questions\u00a0? Répondez à ce message pour écrire à Training Centre.',
        'Envoyé par Convene au nom de Training Centre.',
        `Vous ne souhaitez plus recevoir de messages sur cette série\u00a0? Se désinscrire: ${UNSUBSCRIBE_URL}`,
      ],
      unsubscribe: 'Se désinscrire',
    },
  ] as const;

  for (const body of BODIES) {
    it(`greets, says when in the member's zone with the home zone beside, links to join, and has the footer, in ${body.language}`, async () => {
      const { text, html } = await compose(input({ language: body.language }));
      const lines = unitSpaces(text).split('\n');
      expect(lines.slice(0, 8)).toEqual([body.greeting, '', body.intro, '', body.when, body.join, '', body.calendar]);
      expect(lines).toContain('-- ');
      for (const line of body.footer) expect(lines).toContain(line);

      expect(html).toContain(`<html lang="${body.language}" dir="ltr">`);
      expect(html).toContain(`<a href="${JOIN_URL}"`);
      expect(html).toContain(`<a href="${UNSUBSCRIBE_URL}" style="color:#6b7280;">${body.unsubscribe}</a>`);
      expect(html).toContain(body.when.slice(body.when.indexOf(': ') + 2));
    });
  }

  it('gives each side of a DST change its own hours: New York after its change, London before its own', async () => {
    const before = await compose(input({ reminder: { kind: 'before-session', sessionId: 'opening', offset: 'P1D' } }));
    const after = await compose(input());
    // 15:00 in New York both times; London is 5 hours ahead before 14 March, 4 after (until 28 March).
    expect(before.text).toContain('When: Sunday, 7 March 2027, 20:00–21:00 (Europe/London time) · 15:00 in America/New_York');
    expect(after.text).toContain('When: Sunday, 21 March 2027, 19:00–20:00 (Europe/London time) · 15:00 in America/New_York');
  });

  it('names only the member zone when it is the home zone', () => {
    const { text } = reminderContent(input({ memberTimeZone: 'America/New_York' }));
    expect(text).toContain('When: Sunday, 21 March 2027, 15:00–16:00 (America/New_York time)\n');
  });

  it('shows the join link only to a member who may see it, and only when the session has one', () => {
    const hidden = reminderContent(input({ joinUrlVisible: false }));
    expect(hidden.text).not.toContain(JOIN_URL);
    expect(hidden.html).not.toContain(JOIN_URL);
    expect(hidden.text).not.toContain('Join:');
    const none = reminderContent(input({ reminder: { kind: 'before-session', sessionId: 'opening', offset: 'PT1H' } }));
    expect(none.text).not.toContain('Join:');
    expect(none.html).not.toContain('webinar.example.org');
  });

  it('greets without a name when the member gave none', () => {
    expect(reminderContent(input({ to: { email: 'ana@example.org', name: '' } })).text).toMatch(/^Hello,\n/);
    expect(reminderContent(input({ language: 'es', to: { email: 'ana@example.org', name: ' ' } })).text).toMatch(/^Hola:\n/);
  });

  it('falls back to the series’ first language for a language it has no table for, and to a general tag', async () => {
    const spanishFirst: SeriesSchedule = { ...lectures, languages: ['es', 'en'] };
    const german = await compose(input({ language: 'de', schedule: spanishFirst }));
    expect(german.subject).toBe('Recordatorio: Trabajo no remunerado comienza dentro de 1 día');
    expect(german.lines.get('content-language')).toBe('Content-Language: es');
    expect(german.text).toMatch(/^Hola, Ana Pérez:\n/);

    const latinAmerican = await compose(input({ language: 'es-419' }));
    expect(latinAmerican.subject).toBe('Recordatorio: Trabajo no remunerado comienza dentro de 1 día');
    expect(latinAmerican.lines.get('content-language')).toBe('Content-Language: es');
  });

  it('refuses a cancelled session, a session the series does not have, and an offset that is not a reminder offset', async () => {
    const cancelled = input({ reminder: { kind: 'before-session', sessionId: 'closing', offset: 'P1D' } });
    expect(() => reminderContent(cancelled)).toThrow(RangeError);
    expect(() => reminderContent(cancelled)).toThrow(/cancelled/);
    await expect(composeReminderMail(cancelled, options)).rejects.toThrow(RangeError);
    const missing = input({ reminder: { kind: 'before-session', sessionId: 'nope', offset: 'P1D' } });
    expect(() => reminderContent(missing)).toThrow(RangeError);
    await expect(composeReminderMail(missing, options)).rejects.toThrow(/no session "nope"/);
    for (const offset of ['P1M', 'PT0M', 'P1Y', '1 day', 'P100D']) {
      expect(() => reminderContent(input({ reminder: { kind: 'before-session', sessionId: 'unpaid-work', offset } })), offset).toThrow(RangeError);
    }
  });
});

describe('composeReminderMail: a virtual dialogue opens', () => {
  const CASES = [
    {
      language: 'en',
      subject: 'The Future of Work opens today',
      intro: 'The virtual dialogue “The Future of Work” opens today. The discussion is open from Monday, 3 May 2027 to Friday, 14 May 2027 inclusive (Europe/Paris time).',
      heading: 'Live sessions',
      live: ['- Kick-off conversation', '  Tuesday, 4 May 2027, 12:00–13:00 (America/New_York time) · 18:00 in Europe/Paris'],
    },
    {
      language: 'es',
      subject: 'Comienza hoy: El futuro del trabajo',
      intro: 'El diálogo virtual «El futuro del trabajo» comienza hoy. El debate está abierto desde el lunes, 3 de mayo de 2027 hasta el viernes, 14 de mayo de 2027, ambos incluidos (hora de Europe/Paris).',
      heading: 'Sesiones en directo',
      live: ['- Conversación inicial', '  martes, 4 de mayo de 2027, 12:00–13:00 (hora de America/New_York) · 18:00 en Europe/Paris'],
    },
    {
      language: 'fr',
      subject: 'Ouverture aujourd’hui\u00a0: L’avenir du travail',
      intro: 'Le dialogue virtuel «\u00a0L’avenir du travail\u00a0» ouvre aujourd’hui. La discussion est ouverte du lundi 3 mai 2027 au vendredi 14 mai 2027 inclus (heure de Europe/Paris).',
      heading: 'Séances en direct',
      live: ['- Conversation d’ouverture', '  mardi 4 mai 2027, 12:00–13:00 (heure de America/New_York) · 18:00 à Europe/Paris'],
    },
  ] as const;

  for (const c of CASES) {
    it(`says it opens today, from when to when, and lists the scheduled live sessions, in ${c.language}`, async () => {
      const { subject, text, html } = await compose(dialogueInput({ language: c.language }));
      expect(subject).toBe(c.subject);
      const lines = text.split('\n');
      expect(lines.slice(2, 8)).toEqual([c.intro, '', c.heading, ...c.live, '']);
      // The cancelled session is not offered.
      expect(text).not.toMatch(/Questions and answers|Preguntas y respuestas|Questions et réponses/);
      expect(html).toContain(`>${c.heading}</h2>`);
      expect(html).toContain(c.live[1].trim());
    });
  }

  it('has no live-session list when the dialogue has no scheduled session', () => {
    const quiet: SeriesSchedule = { ...dialogue, sessions: dialogue.sessions.filter((s) => s.status === 'cancelled') };
    const { text, html } = reminderContent(dialogueInput({ schedule: quiet }));
    expect(text).not.toContain('Live sessions');
    expect(html).not.toContain('<ul');
    expect(text).toContain('The discussion is open from Monday, 3 May 2027 to Friday, 14 May 2027 inclusive');
  });

  it('is written in the dialogue’s first language, French, for a member who reads German', async () => {
    const read = await compose(dialogueInput({ language: 'de' }));
    expect(read.subject).toBe('Ouverture aujourd’hui\u00a0: L’avenir du travail');
    expect(read.lines.get('content-language')).toBe('Content-Language: fr');
  });
});

describe('composeReminderMail: a virtual dialogue closes', () => {
  const CASES = [
    {
      language: 'en',
      subjects: ['The Future of Work closes in 3 days', 'The Future of Work closes tomorrow'],
      intro: 'The virtual dialogue “The Future of Work” closes in 3 days. The last day of the discussion is Friday, 14 May 2027 (Europe/Paris time).',
    },
    {
      language: 'es',
      subjects: ['Se cierra dentro de 3 días: El futuro del trabajo', 'Se cierra mañana: El futuro del trabajo'],
      intro: 'El diálogo virtual «El futuro del trabajo» se cierra dentro de 3 días. El último día del debate es el viernes, 14 de mayo de 2027 (hora de Europe/Paris).',
    },
    {
      language: 'fr',
      subjects: ['Clôture dans 3 jours\u00a0: L’avenir du travail', 'Clôture demain\u00a0: L’avenir du travail'],
      intro: 'Le dialogue virtuel «\u00a0L’avenir du travail\u00a0» se termine dans 3 jours. Le dernier jour de la discussion est le vendredi 14 mai 2027 (heure de Europe/Paris).',
    },
  ] as const;

  for (const c of CASES) {
    it(`says in how many days it closes and its last day, with the footer, in ${c.language}`, async () => {
      const threeDays = await compose(dialogueInput({ language: c.language, reminder: CLOSES }));
      const oneDay = reminderContent(dialogueInput({ language: c.language, reminder: { kind: 'dialogue-closes', offset: 'P1D' } }));
      expect([threeDays.subject, oneDay.subject]).toEqual(c.subjects);
      expect(threeDays.text.split('\n').slice(2, 5)).toEqual([c.intro, '', '-- ']);
      expect(threeDays.text).toContain(UNSUBSCRIBE_URL);
      expect(threeDays.html).toContain(`<a href="${UNSUBSCRIBE_URL}"`);
    });
  }

  it('counts a week as seven days', () => {
    expect(reminderContent(dialogueInput({ reminder: { kind: 'dialogue-closes', offset: 'P1W' } })).subject).toBe('The Future of Work closes in 7 days');
  });

  it('refuses an offset that is not whole days', () => {
    for (const offset of ['PT12H', 'P1DT6H', 'P1M', 'P0D']) {
      expect(() => reminderContent(dialogueInput({ reminder: { kind: 'dialogue-closes', offset } })), offset).toThrow(RangeError);
    }
  });
});

describe('composeReminderMail: window reminders need a window', () => {
  it('refuses an opening or closing reminder for a lecture series or a dialogue without a window', async () => {
    const { window: _w, ...withoutWindow } = dialogue;
    for (const schedule of [lectures, withoutWindow]) {
      for (const reminder of [OPENS, CLOSES]) {
        expect(() => reminderContent(input({ schedule, reminder }))).toThrow(TypeError);
        await expect(composeReminderMail(input({ schedule, reminder }), options)).rejects.toThrow(/window/);
      }
    }
  });

  it('refuses a window whose dates do not parse or run backwards', () => {
    for (const window of [{ opens: '2027-02-30', closes: '2027-03-01' }, { opens: '3 May', closes: '2027-05-14' }, { opens: '2027-05-14', closes: '2027-05-03' }]) {
      expect(() => reminderContent(dialogueInput({ schedule: { ...dialogue, window } })), JSON.stringify(window)).toThrow(RangeError);
    }
  });
});

describe('composeReminderMail: untrusted text', () => {
  const evilTitle = '<script>alert(1)</script> & "more"\r\nBcc: victim@example.net';
  const evil: SeriesSchedule = {
    ...lectures,
    title: { en: 'Care\r\nX-Evil: 1' },
    organiser: { name: 'Centre\r\nBcc: victim@example.net', email: 'training@example.org' },
    sessions: [session({ sessionId: 'evil', title: { en: evilTitle }, ...AFTER_US_DST })],
  };
  const evilInput = input({
    schedule: evil,
    reminder: { kind: 'before-session', sessionId: 'evil', offset: 'PT1H' },
    to: { email: 'ana@example.org', name: 'Ana\r\nBcc: victim@example.net' },
  });

  it('lets no CR/LF in a title or a name start a header field or break the Subject', async () => {
    const read = await compose(evilInput);
    expect(read.parsed.headers.has('bcc')).toBe(false);
    expect(read.parsed.headers.has('x-evil')).toBe(false);
    expect(read.parsed.bcc).toBeUndefined();
    expect(read.subject).toBe('Reminder: <script>alert(1)</script> & "more" Bcc: victim@example.net starts in 1 hour');
    expect(read.lines.get('subject')).not.toMatch(/\r|\n/);
    expect(single(read.parsed.to)?.value.map((v) => v.address)).toEqual(['ana@example.org']);
  });

  it('escapes a <script> title in the HTML part, in a reminder and in the dialogue’s session list', async () => {
    const read = await compose(evilInput);
    expect(read.html).not.toContain('<script>');
    expect(read.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;more&quot;');
    expect(read.text).toContain('<script>alert(1)</script>'); // plain text is not HTML

    const evilDialogue: SeriesSchedule = { ...dialogue, sessions: [session({ sessionId: 'evil', title: { en: evilTitle }, ...AFTER_US_DST })] };
    const opens = reminderContent(dialogueInput({ schedule: evilDialogue }));
    expect(opens.html).not.toContain('<script>');
    expect(opens.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('refuses a join link that is not https', () => {
    const sneaky: SeriesSchedule = { ...lectures, sessions: [session({ sessionId: 's', title: { en: 'S' }, ...AFTER_US_DST, joinUrl: 'javascript:alert(1)' })] };
    expect(() => reminderContent(input({ schedule: sneaky, reminder: { kind: 'before-session', sessionId: 's', offset: 'P1D' } }))).toThrow(TypeError);
  });
});

describe('members of one language and zone', () => {
  it('share what the reminder says but each get their own greeting and unsubscribe link', () => {
    // The text shared by a language and zone is made once per schedule: it must not carry one member's parts to another.
    const ana = reminderContent(input());
    const ben = reminderContent(input({ to: { email: 'ben@example.org', name: 'Ben' }, unsubscribeUrl: `${UNSUBSCRIBE_URL}-ben` }));
    const nameless = reminderContent(input({ to: { email: 'x@example.org', name: '' } }));
    expect(ana.subject).toBe(ben.subject);
    expect(ana.text).toContain('Ana Pérez');
    expect(ben.text).toContain('Ben');
    expect(ben.text).not.toContain('Ana');
    expect(ben.html).not.toContain('Ana');
    expect(nameless.text).not.toMatch(/Ana|Ben/);
    expect(ben.text).toContain(`${UNSUBSCRIBE_URL}-ben`);
    expect(ana.text).not.toContain(`${UNSUBSCRIBE_URL}-ben`);
    expect(ben.html).toContain(`${UNSUBSCRIBE_URL}-ben`);
    // Once the greeting and the link are taken out, the rest is the same text.
    const rest = (text: string, name: string, url: string) => text.replace(name, 'NAME').replace(url, 'URL');
    expect(rest(ben.text, 'Ben', `${UNSUBSCRIBE_URL}-ben`)).toBe(rest(ana.text, 'Ana Pérez', UNSUBSCRIBE_URL));
    // Another zone or language of the same schedule says other things.
    expect(reminderContent(input({ memberTimeZone: 'Asia/Kolkata' })).text).not.toBe(ana.text);
    expect(reminderContent(input({ language: 'es' })).subject).not.toBe(ana.subject);
  });
});

describe('the reminder catalogue', () => {
  it('has a table for every language the main catalogue has, each with every message', () => {
    expect(Object.keys(REMINDER_CATALOGUE).sort()).toEqual(Object.keys(CATALOGUE).sort());
    const english = REMINDER_CATALOGUE.en!;
    for (const table of Object.values(REMINDER_CATALOGUE)) expect(Object.keys(table).sort()).toEqual(Object.keys(english).sort());
  });

  it('uses the same placeholders in every translation as in English', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [id, english] of Object.entries(REMINDER_CATALOGUE.en!)) {
      for (const [language, table] of Object.entries(REMINDER_CATALOGUE)) {
        expect(placeholders(table[id as keyof typeof table]), `${language} ${id}`).toEqual(placeholders(english));
      }
    }
  });
});
