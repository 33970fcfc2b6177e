/**
 * composeMime writes nodemailer's MIME tree in one synchronous pass (functions/mail/compose.ts
 * `writtenInOneGo`) instead of through nodemailer's streams. The bytes must be exactly those
 * nodemailer's own `build()` writes from the same tree, for every shape of mail Convene sends:
 * plain ASCII, non-ASCII names and subjects (encoded words), long lines and lone line breaks
 * (quoted-printable soft breaks, CRLF), a calendar part and attachment (base64).
 */
import { describe, expect, it } from 'vitest';
import { mimeTree, writtenInOneGo, type OutgoingMail } from '../../functions/mail/compose.js';
import { COMPOSE_OPTIONS, UNSUBSCRIBE_MAILTO, UNSUBSCRIBE_URL } from '../support/schedule-fixtures.js';
import { readPart } from './raw-mime.js';

const base: OutgoingMail = {
  to: { email: 'member@example.org', name: 'Member' },
  replyTo: { email: 'training@example.org', name: 'Training Centre' },
  subject: 'Reminder: Care work starts in 1 hour',
  language: 'en',
  text: 'Hello Member,\n\nCare work starts in 1 hour.\n',
  html: '<p>Hello Member,</p>\n<p>Care work starts in 1 hour.</p>\n',
  unsubscribe: { url: UNSUBSCRIBE_URL, mailto: UNSUBSCRIBE_MAILTO },
};

const calendar = [
  'BEGIN:VCALENDAR',
  'METHOD:REQUEST',
  'BEGIN:VEVENT',
  'UID:lecture-1@care.convene',
  `SUMMARY:Trabajo de cuidados y economía — ${'una sesión larga '.repeat(6)}`,
  'END:VEVENT',
  'END:VCALENDAR',
].join('\r\n');

const mails: Record<string, OutgoingMail> = {
  'plain ASCII': base,
  'non-ASCII names and subject': {
    ...base,
    to: { email: 'miriam@example.org', name: 'מרים כהן' },
    replyTo: { email: 'training@example.org', name: 'Centro de Formación' },
    subject: 'Recordatorio: «Trabajo de cuidados y economía» empieza en 1 hora',
    language: 'es',
    text: 'Hola, Miriam:\n\nLa sesión «Trabajo de cuidados» empieza pronto. · 15:00 en America/New_York\n',
    html: '<p>Hola, <bdi>מרים</bdi>:</p>\n<p>La sesión «Trabajo de cuidados» empieza pronto.</p>\n',
  },
  'long lines, trailing spaces, lone CR and LF': {
    ...base,
    text: `${'A line far longer than seventy-six characters, to be wrapped with soft breaks. '.repeat(4)}   \nnext\rline\r\n\nend   `,
    html: `<div style="${'margin:0;'.repeat(30)}">${'é'.repeat(120)}</div>`,
  },
  'a calendar part and attachment': { ...base, calendar: { method: 'REQUEST', content: calendar } },
};

describe('composeMime writes the bytes nodemailer would', () => {
  it.each(Object.entries(mails))('%s', async (_name, mail) => {
    // Both orders on fresh trees: writing must not change what build() then writes, and vice versa.
    const first = mimeTree(mail, COMPOSE_OPTIONS);
    const ours = writtenInOneGo(first);
    expect(ours).toBeDefined();
    const theirs = await first.build();
    expect(ours!.toString('latin1')).toBe(theirs.toString('latin1'));

    const second = mimeTree(mail, COMPOSE_OPTIONS);
    const built = await second.build();
    expect(writtenInOneGo(second)!.equals(built)).toBe(true);

    // And it is a mail: no bare LF, 7-bit, ending in a line break, headers readable.
    const raw = ours!.toString('latin1');
    expect(raw).not.toMatch(/[^\r]\n/);
    expect(raw).toMatch(/^[\x00-\x7f]*\r\n$/);
    expect(readPart(raw).headers.map((h) => h.name)).toEqual(expect.arrayContaining(['From', 'To', 'Subject', 'Message-ID', 'List-Unsubscribe']));
  });

  it('leaves a tree it cannot write in one go (stream content) to nodemailer', async () => {
    const { Readable } = await import('node:stream');
    const tree = mimeTree(base, COMPOSE_OPTIONS);
    tree.childNodes[0]!.setContent(Readable.from(['streamed text']));
    expect(writtenInOneGo(tree)).toBeUndefined();
    expect((await tree.build()).toString()).toContain('streamed text');
  });
});
