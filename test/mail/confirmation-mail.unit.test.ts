/**
 * The double opt-in mail, read back from its raw bytes by two independent parsers:
 * mailparser's simpleParser (what aws-ses-v2-local and many clients use) and the small
 * reader in ./raw-mime.ts (header fields unfolded by hand, RFC 2047 words, QP/base64 parts).
 * Both must agree on every header and body that matters.
 *
 * Language fallback, as implemented and checked here: the member's language, else a more
 * general tag of it (es-419 → es), else the series' languages in order (its first language
 * first), else English. A `de` member of a Spanish-first series reads Spanish; of a series
 * only in German, English (with the organiser's German title).
 */
import { describe, expect, it } from 'vitest';
import { composeConfirmationMail, type ConfirmationMailInput } from '../../functions/mail/confirmation-mail.js';
import { simpleParser, single, type ParsedMail } from './mailparser.js';
import { decodeWords, field, fieldValues, mailbox, multipartParts, readPart, textBody, type RawMessage } from './raw-mime.js';
import { COMPOSE_OPTIONS, UNSUBSCRIBE_MAILTO, UNSUBSCRIBE_URL } from '../support/schedule-fixtures.js';

const options = COMPOSE_OPTIONS;

const CONFIRM_URL = 'https://convene.example.org/registrations/confirm?token=eyJhIjoiY29uZmlybSJ9.c2ln&lang=es';

/** 15:00 New York on both sides of the US change (14 March 2027): EST (UTC-5), then EDT (UTC-4). */
const BEFORE_US_DST = { startsAt: '2027-03-07T20:00:00Z', endsAt: '2027-03-07T21:00:00Z' };
const AFTER_US_DST = { startsAt: '2027-03-21T19:00:00Z', endsAt: '2027-03-21T20:00:00Z' };

function input(overrides: Partial<ConfirmationMailInput> = {}): ConfirmationMailInput {
  return {
    to: { email: 'ana@example.org', name: 'Ana Pérez' },
    language: 'en',
    memberTimeZone: 'Asia/Jerusalem',
    series: {
      title: { en: 'The Care Economy', es: 'La economía del cuidado', fr: 'L’économie du soin' },
      languages: ['en', 'es', 'fr'],
      organiser: { name: 'Training Centre', email: 'training@example.org' },
      kind: 'lecture-series',
    },
    sessions: [
      { title: { en: 'Opening lecture', es: 'Conferencia inaugural' }, ...BEFORE_US_DST, timeZone: 'America/New_York', status: 'scheduled' },
      { title: { en: 'Unpaid work' }, ...AFTER_US_DST, timeZone: 'America/New_York', status: 'scheduled' },
    ],
    confirmUrl: CONFIRM_URL,
    unsubscribeUrl: UNSUBSCRIBE_URL,
    unsubscribeMailto: UNSUBSCRIBE_MAILTO,
    manageUrl: 'https://convene.example.org/manage?token=m.test',
    ...overrides,
  };
}

interface Read {
  readonly bytes: Buffer;
  readonly own: RawMessage;
  readonly ownParts: RawMessage[];
  readonly ownText: string;
  readonly ownHtml: string;
  readonly parsed: ParsedMail;
}

/** Composes the mail and reads it back with both parsers. */
async function compose(mail: ConfirmationMailInput): Promise<Read> {
  const bytes = await composeConfirmationMail(mail, options);
  const own = readPart(bytes.toString('latin1'));
  const ownParts = multipartParts(own);
  const byType = (type: string) => {
    const parts = ownParts.filter((p) => field(p, 'Content-Type').toLowerCase().startsWith(type));
    expect(parts, type).toHaveLength(1);
    return textBody(parts[0]!);
  };
  return { bytes, own, ownParts, ownText: byType('text/plain'), ownHtml: byType('text/html'), parsed: await simpleParser(bytes) };
}

const LANGUAGES = [
  {
    language: 'en',
    subject: 'Please confirm your registration: The Care Economy',
    button: 'Confirm my registration',
    intro: 'Thank you for registering for the lecture series “The Care Economy”, organised by Training Centre.',
  },
  {
    language: 'es',
    subject: 'Confirme su inscripción: La economía del cuidado',
    button: 'Confirmar mi inscripción',
    intro: 'Gracias por inscribirse en el ciclo de conferencias «La economía del cuidado», organizado por Training Centre.',
  },
  {
    language: 'fr',
    subject: 'Veuillez confirmer votre inscription\u00a0: L’économie du soin',
    button: 'Confirmer mon inscription',
    intro: 'Merci pour votre inscription au cycle de conférences «\u00a0L’économie du soin\u00a0», organisé par Training Centre.',
  },
] as const;

describe('composeConfirmationMail', () => {
  it('writes 7-bit MIME with CRLF line ends and no line over 998 characters', async () => {
    const { bytes } = await compose(input({ language: 'fr' }));
    expect(bytes.every((byte) => byte < 0x80)).toBe(true);
    const text = bytes.toString('latin1');
    expect(text).not.toMatch(/\r(?!\n)|(?<!\r)\n/);
    for (const line of text.split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
  });

  describe.each(LANGUAGES)('in $language', ({ language, subject, button, intro }) => {
    it('has the envelope headers, read alike by both parsers', async () => {
      const { own, parsed } = await compose(input({ language }));

      // Own reader: raw fields, unfolded.
      expect(decodeWords(field(own, 'Subject'))).toBe(subject);
      expect(mailbox(field(own, 'From'))).toEqual({ name: 'Convene', address: 'no-reply@convene.example.org' });
      expect(mailbox(field(own, 'To'))).toEqual({ name: 'Ana Pérez', address: 'ana@example.org' });
      expect(mailbox(field(own, 'Reply-To'))).toEqual({ name: 'Training Centre', address: 'training@example.org' });
      expect(field(own, 'List-Unsubscribe')).toBe(`<${UNSUBSCRIBE_URL}>, <${UNSUBSCRIBE_MAILTO}>`);
      expect(field(own, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
      expect(field(own, 'Auto-Submitted')).toBe('auto-generated');
      expect(field(own, 'Content-Language')).toBe(language);
      expect(field(own, 'Message-ID')).toMatch(/^<[0-9a-f-]{36}@convene\.example\.org>$/);
      expect(field(own, 'MIME-Version')).toBe('1.0');
      expect(field(own, 'Content-Type')).toMatch(/^multipart\/alternative;\s*boundary=/);
      expect(fieldValues(own, 'Date')).toHaveLength(1);

      // mailparser.
      expect(parsed.subject).toBe(subject);
      expect(single(parsed.from)?.value).toEqual([{ address: 'no-reply@convene.example.org', name: 'Convene' }]);
      expect(single(parsed.to)?.value).toEqual([{ address: 'ana@example.org', name: 'Ana Pérez' }]);
      expect(parsed.replyTo?.value).toEqual([{ address: 'training@example.org', name: 'Training Centre' }]);
      expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');
      expect(parsed.headers.get('list')).toEqual({
        unsubscribe: { url: UNSUBSCRIBE_URL, mail: UNSUBSCRIBE_MAILTO.slice('mailto:'.length) },
        'unsubscribe-post': { name: 'List-Unsubscribe=One-Click' },
      });
      const lines = new Map(parsed.headerLines.map((h) => [h.key, h.line.replace(/\r\n(?=[ \t])/g, '')]));
      expect(lines.get('list-unsubscribe')).toBe(`List-Unsubscribe: <${UNSUBSCRIBE_URL}>, <${UNSUBSCRIBE_MAILTO}>`);
      expect(lines.get('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
      expect(parsed.messageId).toBe(field(own, 'Message-ID'));
      expect(parsed.attachments).toHaveLength(0);
    });

    it('is multipart/alternative with a localised text part and HTML part, both with the confirm link', async () => {
      const { ownParts, ownText, ownHtml, parsed } = await compose(input({ language }));
      expect(ownParts.map((p) => field(p, 'Content-Type'))).toEqual(['text/plain; charset=utf-8', 'text/html; charset=utf-8']);
      expect(parsed.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });

      for (const text of [ownText, parsed.text ?? '']) {
        expect(text).toContain(intro);
        // The confirm URL on a line of its own, as is (no HTML escaping in plain text).
        expect(text.split('\n')).toContain(CONFIRM_URL);
        expect(text).toContain(UNSUBSCRIBE_URL);
      }
      for (const html of [ownHtml, parsed.html || '']) {
        expect(html).toContain(`<html lang="${language}" dir="ltr">`);
        const escapedUrl = CONFIRM_URL.replace(/&/g, '&amp;');
        expect(html).toContain(`<a href="${escapedUrl}"`);
        expect(html).toMatch(new RegExp(`<a href="${escapeRegExp(escapedUrl)}"[^>]*>${escapeRegExp(button)}</a>`));
        expect(html).toContain(`>${escapedUrl}</a>`);
        expect(html).toContain(`<a href="${UNSUBSCRIBE_URL}"`);
      }
      expect(ownText).toBe(parsed.text?.replace(/\r\n/g, '\n'));
    });
  });

  it('escapes organiser text in the HTML part and keeps it as is in the text part', async () => {
    const evil = '<script>alert("x")</script> & <b>Co</b>';
    const { ownHtml, ownText, parsed } = await compose(
      input({
        series: { ...input().series, title: { en: `Care ${evil}` }, organiser: { name: `Org ${evil}`, email: 'training@example.org' } },
        sessions: [{ title: { en: `Talk ${evil}` }, ...BEFORE_US_DST, timeZone: 'America/New_York', status: 'scheduled' }],
      }),
    );
    const escaped = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;Co&lt;/b&gt;';
    for (const html of [ownHtml, parsed.html || '']) {
      expect(html).not.toMatch(/<script|<b>/i);
      expect(html).toContain(`Care ${escaped}`);
      expect(html).toContain(`Org ${escaped}`);
      expect(html).toContain(`Talk ${escaped}`);
      expect(html).toContain(`<title>Please confirm your registration: Care ${escaped}</title>`);
    }
    for (const text of [ownText, parsed.text ?? '']) {
      expect(text).toContain(`Care ${evil}`);
      expect(text).toContain(`- Talk ${evil}`);
    }
    expect(parsed.subject).toBe(`Please confirm your registration: Care ${evil}`);
  });

  it('lets no CR/LF in a name or title add a header', async () => {
    const { own, parsed } = await compose(
      input({
        to: { email: 'ana@example.org', name: 'Ana\r\nBcc: x@example.org' },
        series: {
          ...input().series,
          title: { en: 'Care\r\nBcc: y@example.org\r\n\r\n<p>body</p>' },
          organiser: { name: 'Org\nBcc: z@example.org\u2028X-Evil: 1', email: 'training@example.org' },
        },
      }),
    );
    const names = own.headers.map((h) => h.name.toLowerCase());
    expect(names.sort()).toEqual(
      [
        'auto-submitted', 'content-language', 'content-type', 'date', 'from', 'list-unsubscribe', 'list-unsubscribe-post',
        'message-id', 'mime-version', 'reply-to', 'subject', 'to',
      ].sort(),
    );
    expect([...parsed.headers.keys()]).not.toContain('bcc');
    expect([...parsed.headers.keys()]).not.toContain('x-evil');
    expect(parsed.bcc).toBeUndefined();
    expect(parsed.cc).toBeUndefined();
    expect(single(parsed.to)?.value.map((a) => a.address)).toEqual(['ana@example.org']);
    expect(parsed.replyTo?.value.map((a) => a.address)).toEqual(['training@example.org']);
    // The text stays, on one line.
    expect(single(parsed.to)?.value[0]?.name).toBe('Ana Bcc: x@example.org');
    expect(mailbox(field(own, 'To'))).toEqual({ name: 'Ana Bcc: x@example.org', address: 'ana@example.org' });
    expect(mailbox(field(own, 'Reply-To'))).toEqual({ name: 'Org Bcc: z@example.org X-Evil: 1', address: 'training@example.org' });
    expect(parsed.subject).toBe('Please confirm your registration: Care Bcc: y@example.org <p>body</p>');
    expect(decodeWords(field(own, 'Subject'))).toBe(parsed.subject);
  });

  describe('session times, for a New York session on both sides of the US DST change', () => {
    it('for a member in Asia/Jerusalem (still on IST, UTC+2, until 26 March)', async () => {
      const { ownText, ownHtml, parsed } = await compose(input({ memberTimeZone: 'Asia/Jerusalem' }));
      const expected = [
        'Sunday, 7 March 2027, 22:00–23:00 (Asia/Jerusalem time) · 15:00 in America/New_York',
        'Sunday, 21 March 2027, 21:00–22:00 (Asia/Jerusalem time) · 15:00 in America/New_York',
      ];
      for (const body of [ownText, parsed.text ?? '', ownHtml, parsed.html || '']) {
        for (const line of expected) expect(body).toContain(line);
      }
      expect(ownText).toContain('Times are shown in your time zone, Asia/Jerusalem.');
      expect(ownText).toContain(`- Opening lecture\n  ${expected[0]}\n- Unpaid work\n  ${expected[1]}\n`);
    });

    it('for a member in Australia/Sydney (AEDT, UTC+11: the next morning there)', async () => {
      const { ownText, ownHtml, parsed } = await compose(input({ memberTimeZone: 'Australia/Sydney' }));
      const expected = [
        'Monday, 8 March 2027, 07:00–08:00 (Australia/Sydney time) · Sunday 7 March, 15:00 in America/New_York',
        'Monday, 22 March 2027, 06:00–07:00 (Australia/Sydney time) · Sunday 21 March, 15:00 in America/New_York',
      ];
      for (const body of [ownText, parsed.text ?? '', ownHtml, parsed.html || '']) {
        for (const line of expected) expect(body).toContain(line);
      }
    });

    it('in the member’s language, and without a second zone for a member in the home zone', async () => {
      const { ownText } = await compose(input({ language: 'es', memberTimeZone: 'America/New_York' }));
      expect(ownText).toContain('- Conferencia inaugural\n  domingo, 7 de marzo de 2027, 15:00–16:00 (hora de America/New_York)\n');
      expect(ownText).toContain('- Unpaid work\n  domingo, 21 de marzo de 2027, 15:00–16:00 (hora de America/New_York)\n');
      expect(ownText).not.toContain(' · ');
    });

    it('marks cancelled sessions and lists sessions by start', async () => {
      const { ownText, ownHtml } = await compose(
        input({
          sessions: [
            { title: { en: 'Second' }, ...AFTER_US_DST, timeZone: 'America/New_York', status: 'cancelled' },
            { title: { en: 'First' }, ...BEFORE_US_DST, timeZone: 'America/New_York', status: 'scheduled' },
          ],
        }),
      );
      expect(ownText).toMatch(/- First\n.*\n- Cancelled: Second\n/);
      expect(ownHtml).toContain('<strong>Cancelled: <bdi>Second</bdi></strong>');
    });

    it('says when no session is scheduled yet', async () => {
      const { ownText } = await compose(input({ sessions: [] }));
      expect(ownText).toContain('Sessions\nTimes are shown in your time zone, Asia/Jerusalem.\n\nThe sessions will be announced later.\n');
    });
  });

  describe('language fallback', () => {
    const subjectFor = async (language: string, series: Partial<ConfirmationMailInput['series']>) => {
      const { parsed, own, ownHtml } = await compose(input({ language, series: { ...input().series, ...series } }));
      return { subject: parsed.subject, contentLanguage: field(own, 'Content-Language'), html: ownHtml };
    };

    it('uses a more general tag of the member’s language (es-419 → es, fr-CA → fr)', async () => {
      expect((await subjectFor('es-419', {})).subject).toBe('Confirme su inscripción: La economía del cuidado');
      expect((await subjectFor('fr-CA', {})).subject).toBe('Veuillez confirmer votre inscription\u00a0: L’économie du soin');
    });

    it('uses the series’ first language for a language the catalogue lacks (de, Spanish-first series → Spanish)', async () => {
      const mail = await subjectFor('de', { languages: ['es', 'en'], title: { es: 'La economía del cuidado', en: 'The Care Economy' } });
      expect(mail.subject).toBe('Confirme su inscripción: La economía del cuidado');
      expect(mail.contentLanguage).toBe('es');
      expect(mail.html).toContain('<html lang="es" dir="ltr">');
    });

    it('falls back to English when neither the member’s nor the series’ languages are in the catalogue', async () => {
      const mail = await subjectFor('de', { languages: ['de'], title: { de: 'Sorgeökonomie' } });
      // The mail's own words in English; the organiser's title as they wrote it.
      expect(mail.subject).toBe('Please confirm your registration: Sorgeökonomie');
      expect(mail.contentLanguage).toBe('en');
    });

    it('takes organiser titles in the mail’s language when the series has them, else its first language', async () => {
      const { ownText } = await compose(input({ language: 'es' }));
      expect(ownText).toContain('- Conferencia inaugural\n');
      expect(ownText).toContain('- Unpaid work\n'); // no Spanish title: the series' first language (en)
    });
  });

  describe('refuses', () => {
    it('a confirm link that is not https (or http on a loopback host)', async () => {
      await expect(compose(input({ confirmUrl: 'javascript:alert(1)' }))).rejects.toThrow(/confirm URL must be an https URL/);
      await expect(compose(input({ confirmUrl: 'http://convene.example.org/confirm' }))).rejects.toThrow(/https/);
      await expect(compose(input({ confirmUrl: 'http://127.0.0.1:3000/registrations/confirm?token=x' }))).resolves.toBeDefined();
    });

    it('an unsubscribe URL that is not https, or a mailto that is not one', async () => {
      await expect(compose(input({ unsubscribeUrl: 'http://convene.example.org/u' }))).rejects.toThrow(/unsubscribe URL must be an https URL/);
      await expect(compose(input({ unsubscribeMailto: 'https://convene.example.org/u' }))).rejects.toThrow(/mailto/);
      await expect(compose(input({ unsubscribeMailto: 'mailto:a@b.org>, <https://evil.example/' }))).rejects.toThrow(/characters/);
    });

    it('a recipient that is not exactly one address', async () => {
      await expect(compose(input({ to: { email: 'ana@example.org, eve@example.org', name: 'Ana' } }))).rejects.toThrow(/single mail address/);
      await expect(compose(input({ to: { email: 'ana@example.org\r\nBcc: eve@example.org', name: 'Ana' } }))).rejects.toThrow(/single mail address/);
    });
  });

  it('makes a new Message-ID for every mail', async () => {
    const [a, b] = await Promise.all([compose(input()), compose(input())]);
    expect(field(a!.own, 'Message-ID')).not.toBe(field(b!.own, 'Message-ID'));
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
