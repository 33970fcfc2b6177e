/**
 * The "recording available" mail, read back from its raw bytes by mailparser. Plain
 * multipart/alternative (text + HTML), no calendar part, in the member's language (else the
 * series' first), with the session's time in the member's zone, named, the home zone's beside
 * it, one public link per file with its size, and the series' archive of recordings.
 */
import { describe, expect, it } from 'vitest';
import type { RecordingFile, ScheduledSession, SeriesSchedule } from '../../events/projections/schedule.js';
import { CATALOGUE } from '../../functions/mail/catalogue.js';
import { RECORDING_CATALOGUE } from '../../functions/mail/recording-catalogue.js';
import { composeRecordingMail, recordingContent, type RecordingMailInput } from '../../functions/mail/recording-mail.js';
import { recordingFileUrl, recordingsArchiveUrl } from '../../functions/recordings/links.js';
import { single } from './mailparser.js';
import { contentTypes, readMail, unitSpaces } from './read-mail.js';
import { COMPOSE_OPTIONS, CREATED, MANAGE_URL, UNSUBSCRIBE_MAILTO, UNSUBSCRIBE_URL, scheduledSession } from '../support/schedule-fixtures.js';

const options = COMPOSE_OPTIONS;
const BASE_URL = 'https://convene.example.org';
const created = CREATED;

/**
 * 15:00 New York on both sides of the US change (14 March 2027): EST (UTC-5) on Saturday 13
 * March, EDT (UTC-4) on Saturday 20 March. London changes only on 28 March, so it is 5 hours
 * ahead of New York before the US change and 4 hours after.
 */
const BEFORE_US_DST = { startsAt: '2027-03-13T20:00:00.000Z', endsAt: '2027-03-13T21:00:00.000Z' };
const AFTER_US_DST = { startsAt: '2027-03-20T19:00:00.000Z', endsAt: '2027-03-20T20:30:00.000Z' };

const file = (asset: RecordingFile['asset'], fileName: string, contentType: string, size: number): RecordingFile => ({
  asset,
  uploadId: `up-${asset}`,
  fileName,
  contentType,
  size,
  objectKey: `private-uploads/care-economy/${asset}/7f3c9e1a-${fileName}`,
});

const ALL_FILES = [
  file('recording', 'opening-lecture.mp4', 'video/mp4', 1_234_567_890),
  file('captions', 'opening.vtt', 'text/vtt', 48_200),
  file('transcript', 'opening-transcript.txt', 'text/plain', 812),
  file('slides', 'opening-slides.pdf', 'application/pdf', 350_400_000),
];

const session = (fields: Parameters<typeof scheduledSession>[1]) => scheduledSession(created, { sequence: 1, publication: { status: 'published', publishedAt: '2027-03-22T12:00:00.000Z' }, ...fields });

const lectures: SeriesSchedule = {
  seriesId: 'care-economy',
  version: 9,
  kind: 'lecture-series',
  title: { en: 'The Care Economy', es: 'La economía del cuidado', fr: 'L’économie du soin' },
  description: {},
  timeZone: 'America/New_York',
  languages: ['en', 'es', 'fr'],
  organiser: { name: 'Training Centre', email: 'training@example.org' },
  reminderOffsets: ['P1D'],
  createdAt: created,
  updatedAt: '2027-03-22T12:00:00.000Z',
  sessions: [
    session({
      sessionId: 'opening',
      title: { en: 'Opening lecture', es: 'Conferencia inaugural', fr: 'Conférence inaugurale' },
      ...BEFORE_US_DST,
      recording: { publishedAt: '2027-03-22T12:00:00.000Z', files: ALL_FILES },
    }),
    session({
      sessionId: 'unpaid-work',
      title: { en: 'Unpaid work', es: 'Trabajo no remunerado', fr: 'Le travail non rémunéré' },
      ...AFTER_US_DST,
      recording: { publishedAt: '2027-03-22T12:00:00.000Z', files: [file('recording', 'unpaid-work.webm', 'video/webm', 999_950)] },
    }),
    session({
      sessionId: 'closing',
      title: { en: 'Closing panel' },
      startsAt: '2027-03-27T19:00:00.000Z',
      endsAt: '2027-03-27T20:00:00.000Z',
      publication: { status: 'scheduled', publishAt: '2027-04-01T12:00:00.000Z' },
    }),
  ],
};

function input(overrides: Partial<RecordingMailInput> = {}): RecordingMailInput {
  return {
    to: { email: 'ana@example.org', name: 'Ana Pérez' },
    language: 'en',
    memberTimeZone: 'Europe/London',
    schedule: lectures,
    sessionId: 'opening',
    baseUrl: BASE_URL,
    unsubscribeUrl: UNSUBSCRIBE_URL,
    unsubscribeMailto: UNSUBSCRIBE_MAILTO,
    manageUrl: MANAGE_URL,
    ...overrides,
  };
}

const compose = async (mail: RecordingMailInput) => readMail(await composeRecordingMail(mail, options));

const urlOf = (sessionId: string, asset: RecordingFile['asset']) => recordingFileUrl(BASE_URL, 'care-economy', sessionId, asset);
const ARCHIVE_URL = recordingsArchiveUrl(BASE_URL, 'care-economy');

// ---------------------------------------------------------------------------------------

describe('composeRecordingMail: the envelope', () => {
  it('is multipart/alternative, text then HTML, with no calendar part, one-click unsubscribe and Content-Language', async () => {
    for (const language of ['en', 'es', 'fr']) {
      const { bytes, parsed, lines } = await compose(input({ language }));
      expect(contentTypes(bytes)).toEqual(['multipart/alternative', 'text/plain', 'text/html']);
      expect(bytes.toString('latin1')).not.toMatch(/text\/calendar|\.ics/i);
      expect(parsed.attachments).toHaveLength(0);
      expect(lines.get('list-unsubscribe')).toBe(`List-Unsubscribe: <${UNSUBSCRIBE_URL}>, <${UNSUBSCRIBE_MAILTO}>`);
      expect(lines.get('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
      expect(lines.get('content-language')).toBe(`Content-Language: ${language}`);
      expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');
      expect(single(parsed.to)?.value).toEqual([{ address: 'ana@example.org', name: 'Ana Pérez' }]);
      expect(parsed.replyTo?.value).toEqual([{ address: 'training@example.org', name: 'Training Centre' }]);
    }
  });
});

describe('composeRecordingMail: what it says', () => {
  const CASES = [
    {
      language: 'en',
      subject: 'Recording available: Opening lecture',
      lines: [
        'Hello Ana Pérez,',
        '',
        'The recording of “Opening lecture”, part of “The Care Economy”, is now available.',
        '',
        'Took place: Saturday, 13 March 2027, 20:00–21:00 (Europe/London time) · 15:00 in America/New_York',
        '',
        'Files:',
        '- Watch the recording: opening-lecture.mp4, 1.2 GB',
        `  ${urlOf('opening', 'recording')}`,
        '- Captions (WebVTT): opening.vtt, 48 kB',
        `  ${urlOf('opening', 'captions')}`,
        '- Transcript: opening-transcript.txt, 812 bytes',
        `  ${urlOf('opening', 'transcript')}`,
        '- Slides (PDF): opening-slides.pdf, 350 MB',
        `  ${urlOf('opening', 'slides')}`,
        '',
        `All recordings of “The Care Economy”: ${ARCHIVE_URL}`,
        '',
        '-- ',
        'Questions? Reply to this mail to reach Training Centre.',
        'Sent by Convene on behalf of Training Centre.',
        `Manage my registrations: ${MANAGE_URL}`,
        `No more mail about this series? Unsubscribe: ${UNSUBSCRIBE_URL}`,
      ],
      unsubscribe: 'Unsubscribe',
    },
    {
      language: 'es',
      subject: 'Grabación disponible: Conferencia inaugural',
      lines: [
        'Hola, Ana Pérez:',
        '',
        'Ya está disponible la grabación de «Conferencia inaugural», que forma parte de «La economía del cuidado».',
        '',
        'Se celebró: sábado, 13 de marzo de 2027, 20:00–21:00 (hora de Europe/London) · 15:00 en America/New_York',
        '',
        'Archivos:',
        '- Ver la grabación: opening-lecture.mp4, 1,2 GB',
        `  ${urlOf('opening', 'recording')}`,
        '- Subtítulos (WebVTT): opening.vtt, 48 kB',
        `  ${urlOf('opening', 'captions')}`,
        '- Transcripción: opening-transcript.txt, 812 bytes',
        `  ${urlOf('opening', 'transcript')}`,
        '- Diapositivas (PDF): opening-slides.pdf, 350 MB',
        `  ${urlOf('opening', 'slides')}`,
        '',
        `Todas las grabaciones de «La economía del cuidado»: ${ARCHIVE_URL}`,
        '',
        '-- ',
        '¿Preguntas? Responda a este mensaje para escribir a Training Centre.',
        'Enviado por Convene en nombre de Training Centre.',
        `Gestionar mis inscripciones: ${MANAGE_URL}`,
        `¿No desea recibir más correos sobre esta serie? Darse de baja: ${UNSUBSCRIBE_URL}`,
      ],
      unsubscribe: 'Darse de baja',
    },
    {
      language: 'fr',
      subject: 'Enregistrement disponible\u00a0: Conférence inaugurale',
      lines: [
        'Bonjour Ana Pérez,',
        '',
        'L’enregistrement de «\u00a0Conférence inaugurale\u00a0», qui fait partie de «\u00a0L’économie du soin\u00a0», est maintenant disponible.',
        '',
        'Date de la séance: samedi 13 mars 2027, 20:00–21:00 (heure de Europe/London) · 15:00 à America/New_York',
        '',
        'Fichiers:',
        '- Regarder l’enregistrement: opening-lecture.mp4, 1,2 Go',
        `  ${urlOf('opening', 'recording')}`,
        '- Sous-titres (WebVTT): opening.vtt, 48 ko',
        `  ${urlOf('opening', 'captions')}`,
        '- Transcription: opening-transcript.txt, 812 octets',
        `  ${urlOf('opening', 'transcript')}`,
        '- Diapositives (PDF): opening-slides.pdf, 350 Mo',
        `  ${urlOf('opening', 'slides')}`,
        '',
        `Tous les enregistrements de «\u00a0L’économie du soin\u00a0»: ${ARCHIVE_URL}`,
        '',
        '-- ',
        'Des questions\u00a0? Répondez à ce message pour écrire à Training Centre.',
        'Envoyé par Convene au nom de Training Centre.',
        `Gérer mes inscriptions: ${MANAGE_URL}`,
        `Vous ne souhaitez plus recevoir de messages sur cette série\u00a0? Se désinscrire: ${UNSUBSCRIBE_URL}`,
      ],
      unsubscribe: 'Se désinscrire',
    },
  ] as const;

  for (const c of CASES) {
    it(`names the session, when it took place, each file with its size and link, the archive and the footer, in ${c.language}`, async () => {
      const { subject, text, html } = await compose(input({ language: c.language }));
      expect(subject).toBe(c.subject);
      expect(unitSpaces(text).split('\n').slice(0, c.lines.length)).toEqual(c.lines);

      expect(html).toContain(`<html lang="${c.language}" dir="ltr">`);
      expect(html).toContain(`<title>${c.subject}</title>`);
      expect(html).toContain(c.lines[4].slice(c.lines[4].indexOf(': ') + 2));
      for (const asset of ['recording', 'captions', 'transcript', 'slides'] as const) expect(html).toContain(`<a href="${urlOf('opening', asset)}"`);
      expect(html).toContain(`<a href="${ARCHIVE_URL}"`);
      expect(html).toContain(`<a href="${UNSUBSCRIBE_URL}" style="color:#6b7280;">${c.unsubscribe}</a>`);
    });
  }

  it('gives each side of the US DST change its own hours in London: 5 hours ahead before, 4 after', async () => {
    const before = await compose(input());
    const after = await compose(input({ sessionId: 'unpaid-work' }));
    expect(before.text).toContain('Took place: Saturday, 13 March 2027, 20:00–21:00 (Europe/London time) · 15:00 in America/New_York\n');
    expect(after.text).toContain('Took place: Saturday, 20 March 2027, 19:00–20:30 (Europe/London time) · 15:00 in America/New_York\n');
    expect(after.subject).toBe('Recording available: Unpaid work');
  });

  it('names only the member zone when it is the home zone', () => {
    const { text } = recordingContent(input({ memberTimeZone: 'America/New_York' }));
    expect(text).toContain('Took place: Saturday, 13 March 2027, 15:00–16:00 (America/New_York time)\n');
  });

  it('lists only the files the recording has, and rounds a size up to the next unit rather than say "1,000 kB"', () => {
    const { text, html } = recordingContent(input({ sessionId: 'unpaid-work' }));
    expect(text).toContain(`- Watch the recording: unpaid-work.webm, 1 MB\n  ${urlOf('unpaid-work', 'recording')}\n`);
    expect(text).not.toMatch(/Captions|Transcript|Slides/);
    expect(html.match(/<li /g)).toHaveLength(1);
  });

  it('links only to the public recording URLs: never a storage key, bucket or presigned URL', async () => {
    const { bytes, text, html } = await compose(input());
    for (const part of [bytes.toString('latin1'), text, html]) {
      for (const f of ALL_FILES) expect(part).not.toContain(f.objectKey);
      expect(part).not.toMatch(/private-uploads|7f3c9e1a|amazonaws|X-Amz-/i);
    }
    const links = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
    expect(links).toEqual([...ALL_FILES.map((f) => urlOf('opening', f.asset)), ARCHIVE_URL, MANAGE_URL, UNSUBSCRIBE_URL]);
  });

  it('thanks a member who came and tells one who missed it, in each language (the plain announcement when nobody knows)', () => {
    const wording = (language: string, attended?: boolean) => {
      const content = recordingContent(input({ language, ...(attended === undefined ? {} : { attended }) }));
      return [content.subject, content.text.split('\n')[2]];
    };
    expect(wording('en', true)).toEqual(['Thank you for joining: the recording of Opening lecture', 'Thank you for joining “Opening lecture”, part of “The Care Economy”. Here is the recording, to watch again or share what you learned.']);
    expect(wording('en', false)).toEqual(['You missed Opening lecture: watch the recording', 'We missed you at “Opening lecture”, part of “The Care Economy”. You can watch the recording now.']);
    expect(wording('en')[0]).toBe('Recording available: Opening lecture');
    expect(wording('es', false)[0]).toMatch(/^Se perdió /);
    expect(wording('fr', true)[0]).toMatch(/^Merci de votre participation\u00a0: /);
    expect(wording('ar', false)[0]).toMatch(/^فاتك حضور /);
    // Either way, the files follow.
    expect(recordingContent(input({ attended: false })).text).toContain(urlOf('opening', 'recording'));
  });

  it('greets without a name when the member gave none', () => {
    expect(recordingContent(input({ to: { email: 'ana@example.org', name: '' } })).text).toMatch(/^Hello,\n/);
    expect(recordingContent(input({ language: 'es', to: { email: 'ana@example.org', name: ' ' } })).text).toMatch(/^Hola:\n/);
  });

  it('falls back to the series’ first language for a language it has no table for', async () => {
    const read = await compose(input({ language: 'de', schedule: { ...lectures, languages: ['fr', 'en'] } }));
    expect(read.subject).toBe('Enregistrement disponible\u00a0: Conférence inaugurale');
    expect(read.lines.get('content-language')).toBe('Content-Language: fr');
    const english = recordingContent(input({ language: 'de', schedule: { ...lectures, languages: ['de'] } }));
    expect(english.subject).toBe('Recording available: Opening lecture');
  });
});

describe('composeRecordingMail: refusals', () => {
  it('refuses a session without a published recording and a session the series does not have', async () => {
    const unpublished = input({ sessionId: 'closing' });
    expect(() => recordingContent(unpublished)).toThrow(RangeError);
    await expect(composeRecordingMail(unpublished, options)).rejects.toThrow(/no published recording/);
    const missing = input({ sessionId: 'nope' });
    expect(() => recordingContent(missing)).toThrow(RangeError);
    await expect(composeRecordingMail(missing, options)).rejects.toThrow(/no session "nope"/);
  });

  it('refuses a base URL that is not https', () => {
    expect(() => recordingContent(input({ baseUrl: 'http://convene.example.org' }))).toThrow(TypeError);
    expect(() => recordingContent(input({ baseUrl: 'javascript:alert(1)//' }))).toThrow(TypeError);
  });
});

describe('composeRecordingMail: untrusted text', () => {
  const evilTitle = '<script>alert(1)</script> & "more"\r\nBcc: victim@example.net';
  const evil: SeriesSchedule = {
    ...lectures,
    title: { en: 'Care\r\nX-Evil: 1' },
    organiser: { name: 'Centre <b>\r\nBcc: victim@example.net', email: 'training@example.org' },
    sessions: [
      session({
        sessionId: 'evil',
        title: { en: evilTitle },
        ...AFTER_US_DST,
        recording: { publishedAt: '2027-03-22T12:00:00.000Z', files: [file('slides', '<img src=x onerror=alert(1)>\r\n.pdf', 'application/pdf', 2_000_000)] },
      }),
    ],
  };
  const evilInput = input({ schedule: evil, sessionId: 'evil', to: { email: 'ana@example.org', name: 'Ana\r\nBcc: victim@example.net' } });

  it('lets no CR/LF in a title or a name start a header field or break the Subject', async () => {
    const read = await compose(evilInput);
    expect(read.parsed.headers.has('bcc')).toBe(false);
    expect(read.parsed.headers.has('x-evil')).toBe(false);
    expect(read.parsed.bcc).toBeUndefined();
    expect(read.subject).toBe('Recording available: <script>alert(1)</script> & "more" Bcc: victim@example.net');
    expect(read.lines.get('subject')).not.toMatch(/\r|\n/);
    expect(single(read.parsed.to)?.value.map((v) => v.address)).toEqual(['ana@example.org']);
  });

  it('escapes a <script> title, a file name and the organiser’s name in the HTML part', async () => {
    const read = await compose(evilInput);
    expect(read.html).not.toContain('<script>');
    expect(read.html).not.toContain('<img');
    expect(read.html).not.toContain('<b>');
    expect(read.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;more&quot;');
    expect(read.html).toContain('&lt;img src=x onerror=alert(1)&gt; .pdf');
    expect(read.html).toContain('Centre &lt;b&gt; Bcc: victim@example.net');
    expect(read.text).toContain('<script>alert(1)</script>'); // plain text is not HTML
    expect(read.text).toContain('- Slides (PDF): <img src=x onerror=alert(1)> .pdf, 2 MB\n');
  });
});

describe('the recording catalogue', () => {
  it('has a table for every language the main catalogue has, each with every message', () => {
    expect(Object.keys(RECORDING_CATALOGUE).sort()).toEqual(Object.keys(CATALOGUE).sort());
    const english = RECORDING_CATALOGUE.en!;
    for (const table of Object.values(RECORDING_CATALOGUE)) expect(Object.keys(table).sort()).toEqual(Object.keys(english).sort());
  });

  it('uses the same placeholders in every translation as in English', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [id, english] of Object.entries(RECORDING_CATALOGUE.en!)) {
      for (const [language, table] of Object.entries(RECORDING_CATALOGUE)) {
        expect(placeholders(table[id as keyof typeof table]), `${language} ${id}`).toEqual(placeholders(english));
      }
    }
  });
});
