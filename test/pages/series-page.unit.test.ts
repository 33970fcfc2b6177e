/**
 * What the series page shows of each session, rendered as the server sends it: seats left or
 * the waiting list, a cancelled session struck through and not offered in the form, and a
 * past session's recording, captions, transcript and slides as links in the page's language.
 */
import { describe, expect, it } from 'vitest';
import { jsx } from 'hono/jsx';
import { pageHtml } from '../../functions/pages/layout.js';
import { SeriesPage, type SeriesPageProps } from '../../functions/pages/series-page.js';
import { subscribeLinks } from '../../functions/pages/subscribe-links.js';
import { pageTranslator } from '../../functions/pages/texts/index.js';

const session = (sessionId: string, over: Partial<SeriesPageProps['sessions'][number]> = {}): SeriesPageProps['sessions'][number] => ({
  sessionId,
  title: `Lecture ${sessionId}`,
  when: { text: 'Sunday, 23 May 2027, 10:00–11:30 (America/New_York, UTC-04:00)', datetime: '2027-05-23T14:00:00Z' },
  language: 'es',
  speakers: ['Amal Haddad'],
  cancelled: false,
  files: [],
  ...over,
});

function render(language: 'en' | 'es' | 'fr' | 'ar', sessions: SeriesPageProps['sessions']) {
  const tr = pageTranslator(language);
  const props: SeriesPageProps = {
    tr,
    languageHref: (l) => `?lang=${l}`,
    title: 'Care Economy Lecture Series',
    kind: 'lecture-series',
    organiser: 'Training Centre',
    timeZone: 'America/New_York',
    sessions,
    subscribe: subscribeLinks('https://convene.example.org/feeds/series/care.ics', 'Care Economy'),
    recordingsUrl: 'https://convene.example.org/series/care/recordings',
    action: '/series/care/registrations?lang=en',
    zones: ['America/New_York', 'UTC'],
    reminderChoices: ['P1D', 'PT1H', 'P7D'],
    form: { values: { name: '', email: '', language, timeZone: '', sessions: ['all'], reminders: ['P1D', 'PT1H'], consent: false }, problems: [] },
  };
  return pageHtml(jsx(SeriesPage, props));
}

describe('the series page, per session', () => {
  it('shows seats left, or that new registrations wait, in the page’s language', () => {
    const html = render('fr', [session('a', { seatsLeft: 12 }), session('b', { seatsLeft: 0 }), session('c')]);
    expect(html).toContain('Places restantes\u00a0: <bdi>12</bdi>');
    expect(html).toContain('Complet\u00a0: les nouvelles inscriptions rejoignent la liste d’attente.');
    expect(html.match(/Places restantes|Complet/g)).toHaveLength(2);
  });

  it('strikes a cancelled session through, says the organiser’s reason, and leaves it out of the form', () => {
    const html = render('es', [session('a'), session('gone', { cancelled: true, cancellationReason: 'La ponente está enferma <b>hoy</b>.' })]);
    expect(html).toContain('<del>Lecture gone</del>');
    expect(html).toContain('Cancelada: <span dir="auto">La ponente está enferma &lt;b&gt;hoy&lt;/b&gt;.</span>');
    expect(html).toContain('name="sessions" value="a"');
    expect(html).not.toContain('value="gone"');
  });

  it('links a recording and its captions, transcript and slides, named in the page’s language', () => {
    const files = (['recording', 'captions', 'transcript', 'slides'] as const).map((asset) => ({ asset, url: `https://convene.example.org/series/care/sessions/a/recording/${asset}`, fileName: `${asset}.bin` }));
    const html = render('ar', [session('a', { files })]);
    for (const label of ['تسجيل الفيديو', 'الترجمة المكتوبة على الشاشة', 'النص المفرَّغ', 'الشرائح']) expect(html).toContain(`>${label}</a>`);
    expect(html).toContain('href="https://convene.example.org/series/care/sessions/a/recording/captions"');
    expect(html).toMatch(/<html lang="ar" dir="rtl">/);
  });

  it('isolates each speaker’s name in its own direction, joined as the language joins names', () => {
    expect(render('ar', [session('a', { speakers: ['Amal Haddad', 'Lucía Pérez'] })])).toContain('بمشاركة <bdi><bdi>Amal Haddad</bdi> و<bdi>Lucía Pérez</bdi></bdi>');
    expect(render('en', [session('a', { speakers: ['Amal Haddad', 'Lucía Pérez', 'Priya Sharma'] })])).toContain('With <bdi><bdi>Amal Haddad</bdi>, <bdi>Lucía Pérez</bdi> and <bdi>Priya Sharma</bdi></bdi>');
  });

  it('offers the public feed four ways', () => {
    const html = render('en', [session('a')]);
    expect(html).toContain('href="webcal://convene.example.org/feeds/series/care.ics"');
    expect(html).toContain('href="https://calendar.google.com/calendar/render?cid=webcal%3A%2F%2Fconvene.example.org%2Ffeeds%2Fseries%2Fcare.ics"');
    expect(html).toContain('href="https://outlook.live.com/calendar/0/addfromweb?url=https%3A%2F%2Fconvene.example.org%2Ffeeds%2Fseries%2Fcare.ics&amp;name=Care%20Economy"');
    expect(html).toContain('href="https://convene.example.org/feeds/series/care.ics"');
  });
});
