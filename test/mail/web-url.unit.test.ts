/**
 * One rule for links: what the API and the deciders accept as a join URL (WebUrl, checkWebUrl)
 * is exactly what the mail composer puts in a mail (webUrl), so no accepted link can make a
 * mail fail later; and the same for addresses (Email, isSingleAddress).
 */
import { describe, expect, it } from 'vitest';
import { Email, WebUrl, isSingleAddress } from '../../events/shared/values.js';
import { webUrl } from '../../functions/mail/compose.js';
import { ChangeSessionBody, ScheduleSessionBody } from '../../functions/api/schemas.js';

const links = [
  'https://webinar.example.org/vd10',
  'https://Meet.Example.org/room 42',
  'https://example.org',
  'https://example.org/a?b=c&d=e#f',
  'https://xn--bcher-kva.example/',
  'https://bücher.example/raum',
  'http://127.0.0.1:3000/series/x',
  'http://localhost/a',
  'http://[::1]:8080/',
  'http://meet.example.org/room-42',
  'HTTP://MEET.EXAMPLE.ORG/',
  'ftp://files.example.org/x',
  'javascript:alert(1)',
  'mailto:someone@example.org',
  'data:text/html,<script>alert(1)</script>',
  'https://example.org/"onmouseover="x',
  'https://example.org/<script>',
  'https://example.org/\u202Eevil',
  'https://example.org/ok\r\nBcc: victim@example.org',
  `https://example.org/${'a'.repeat(870)}`,
  `https://example.org/${'a'.repeat(900)}`,
  'not a url',
  '',
  '//example.org/path',
];

const composes = (url: string) => {
  try {
    return { href: webUrl(url, 'join URL') };
  } catch {
    return undefined;
  }
};

describe('a link the API accepts is a link every mail can carry', () => {
  it.each(links)('%s', (url) => {
    const parsed = WebUrl.safeParse(url);
    const composed = composes(url);
    expect(parsed.success).toBe(composed !== undefined);
    if (parsed.success) expect(parsed.data).toBe(composed!.href);
  });

  it('is the rule of both session bodies, naming joinUrl', () => {
    const body = { title: { en: 'Live webinar' }, start: '2027-05-03T10:00', durationMinutes: 60 };
    expect(ScheduleSessionBody.safeParse({ ...body, joinUrl: 'http://meet.example.org/room-42' }).error?.issues[0]?.path).toEqual(['joinUrl']);
    expect(ChangeSessionBody.safeParse({ joinUrl: 'http://meet.example.org/room-42' }).error?.issues[0]?.path).toEqual(['joinUrl']);
    expect(ChangeSessionBody.parse({ joinUrl: 'https://Meet.Example.org/room 42' }).joinUrl).toBe('https://meet.example.org/room%2042');
  });
});

describe('an address the API accepts is one the composer sends to', () => {
  it.each(['amal@example.org', 'a.b+c@sub.example.org', 'training@example.org', 'a@b', 'a@@example.org', 'a@example.org, b@example.org', '"A" <a@example.org>', 'a b@example.org', 'ünï@example.org'])('%s', (email) => {
    if (Email.safeParse(email).success) expect(isSingleAddress(email)).toBe(true);
  });
});
