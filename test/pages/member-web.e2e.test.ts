/**
 * The members' web, in a real Chromium without JavaScript: the series page in English,
 * Spanish, French and Arabic (right to left), registration with the keyboard alone from
 * Ramallah (Arabic, Asia/Hebron) and Quito (Spanish, America/Guayaquil), the confirm and
 * manage pages it leads to, error pages for a browser and problem+json for a program, and
 * axe-core's WCAG 2.2 AA rules on every page.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { memberDecider, memberStreamId } from '../../events/member/index.js';
import { fold } from '../../events/shared/decider.js';
import type { MemberEvent } from '../../events/member/events.js';
import type { RecordedEvent } from '../../events/shared/event.js';
import { useTestApi } from '../support/api.js';
import { focusIsVisible, tabTo, useBrowser } from '../support/browser.js';
import { testDispatcher } from '../support/dispatcher.js';
import { linkIn, mailTo } from '../support/mailbox.js';
import { confirmLinkFor, pathOf, register, registerAndConfirm } from '../support/members.js';
import { memberLinks } from '../../functions/links/member-links.js';
import { organiser } from '../support/seed-requests.js';
import { pageTranslator } from '../../functions/pages/texts/index.js';

const api = useTestApi();
const browser = useBrowser();
let seriesId = '';
const ARABIC_TITLE = 'الجلسة 6# حول اقتصاد الرعاية';
/**
 * A journey's time budget: about ten pages, each checked by axe (a second or two each, more on
 * a machine running the rest of the suite). Not a wait for anything: every step awaits its
 * own navigation.
 */
const JOURNEY_MS = 120_000;

beforeAll(async () => {
  seriesId = (
    await api.request('POST', '/admin/series', {
      body: {
        kind: 'lecture-series',
        title: { en: 'Care Economy Lecture Series', es: 'Ciclo sobre la economía del cuidado', ar: 'سلسلة محاضرات اقتصاد الرعاية' },
        description: { en: 'Four lectures on care work.', ar: 'أربع محاضرات عن أعمال الرعاية.' },
        timeZone: 'Asia/Hebron',
        languages: ['en', 'ar', 'es'],
        organiser: { ...organiser, contactEmail: 'care@example.org' },
        reminderOffsets: ['P1D', 'PT1H'],
      },
    })
  ).body.id;
  // Asia/Hebron moves to summer time on 27 March 2027 (tz database): one session on each side.
  for (const [start, title, language] of [
    ['2027-03-20T18:00', { en: 'Care work and the economy', ar: ARABIC_TITLE }, 'ar'],
    ['2027-04-03T18:00', { en: 'Care in Quito and Delhi', es: 'Los cuidados en Quito y Delhi' }, 'es'],
  ] as const) {
    const res = await api.request('POST', `/admin/series/${seriesId}/sessions`, {
      body: { title, start, durationMinutes: 90, language, capacity: 40, speakers: [{ name: 'Amal Haddad' }, { name: 'Lucía Pérez' }], joinUrl: 'https://webinar.example.org/secret-room' },
    });
    expect(res.status, res.text).toBe(201);
  }
  await api.settle();
});

async function open(page: Page, path: string): Promise<number> {
  const res = await page.goto(`${api.url}${path}`);
  return res!.status();
}

/**
 * With CONVENE_SCREENSHOTS=<folder>, the pages the README shows are saved there as PNG
 * (`CONVENE_SCREENSHOTS=test/pages/screenshots npx vitest run --config test/vitest.config.ts
 * test/pages/member-web.e2e.test.ts`); otherwise nothing is written.
 */
async function screenshot(page: Page, name: string) {
  const folder = process.env.CONVENE_SCREENSHOTS;
  if (folder) await page.screenshot({ path: `${folder}/${name}.png`, fullPage: true });
}

async function expectAccessible(page: Page) {
  expect(await browser.accessibilityViolations(page)).toEqual([]);
}

describe('the series page', () => {
  for (const [lang, dir, heading] of [
    ['en', 'ltr', 'Register'],
    ['es', 'ltr', 'Inscripción'],
    ['fr', 'ltr', 'Inscription'],
    ['ar', 'rtl', 'التسجيل'],
  ] as const) {
    it(`in ${lang}: a page a person can read, ${dir}, with no accessibility violation, under 50 KB`, async () => {
      const context = await browser.context({ locale: lang });
      const page = await context.newPage();
      const res = await page.goto(`${api.url}/series/${seriesId}?lang=${lang}`);
      expect(res!.status()).toBe(200);
      expect(res!.headers()['content-type']).toMatch(/^text\/html/);
      expect(res!.headers()['vary']).toMatch(/Accept/);
      expect((await res!.body()).byteLength).toBeLessThan(50 * 1024);
      expect(await page.locator('html').getAttribute('lang')).toBe(lang);
      expect(await page.locator('html').getAttribute('dir')).toBe(dir);
      expect(await page.locator('h2#register').textContent()).toBe(heading);
      // Times in the home zone with the offset of each date: UTC+02:00 before the change, UTC+03:00 after.
      const times = await page.locator('ol.sessions time').allTextContents();
      expect(times[0]).toContain('UTC+02:00');
      expect(times[1]).toContain('UTC+03:00');
      expect(await page.locator('ol.sessions time').first().getAttribute('datetime')).toBe('2027-03-20T16:00:00Z');
      expect(await page.content()).not.toContain('secret-room');
      // Both sessions seat 40 and nobody has confirmed yet.
      if (lang === 'en') expect(await page.locator('ol.sessions li', { hasText: 'Seats left: 40' }).count()).toBe(2);
      expect(await page.locator('a[href^="webcal:"]').getAttribute('href')).toBe(`${api.url.replace('http:', 'webcal:')}/feeds/series/${seriesId}.ics`);
      await expectAccessible(page);
      if (lang === 'en' || lang === 'ar') await screenshot(page, `series-${lang}`);
      await context.close();
    });
  }

  it('keeps an Arabic title with a number whole, in its own direction, inside the Arabic page', async () => {
    const context = await browser.context();
    const page = await context.newPage();
    await open(page, `/series/${seriesId}?lang=ar`);
    const heading = page.locator('ol.sessions h3').first();
    expect(await heading.textContent()).toBe(ARABIC_TITLE);
    expect(await heading.getAttribute('dir')).toBe('auto');
    await context.close();
  });

  it('picks the language from Accept-Language, else the series’ first language; a switch on the page leads to each', async () => {
    const context = await browser.context({ extraHTTPHeaders: { 'accept-language': 'fr-CA,fr;q=0.9' } });
    const page = await context.newPage();
    await open(page, `/series/${seriesId}`);
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    await page.locator('nav.languages a[hreflang="ar"]').click();
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    await context.close();
    const res = await fetch(`${api.url}/series/${seriesId}`, { headers: { accept: 'text/html', 'accept-language': 'de-DE' } });
    expect(await res.text()).toMatch(/<html lang="en"/);
  });

  it('with script on, fills the visitor’s zone and adds each session in their own time; nothing else changes', async () => {
    const context = await browser.context({ javaScriptEnabled: true, timezoneId: 'America/Guayaquil', locale: 'es-EC' });
    const page = await context.newPage();
    const scriptErrors: string[] = [];
    page.on('pageerror', (error) => scriptErrors.push(error.message));
    page.on('console', (message) => message.type() === 'error' && scriptErrors.push(message.text()));
    await open(page, `/series/${seriesId}?lang=es`);
    expect(await page.locator('#timeZone').inputValue()).toBe('America/Guayaquil');
    // 16:00 UTC on Saturday 20 March is 11:00 in Quito; 15:00 UTC on 3 April is 10:00.
    expect(await page.locator('p.local-time').allTextContents()).toEqual(['En su zona horaria (America/Guayaquil): sábado, 20 de marzo, 11:00', 'En su zona horaria (America/Guayaquil): sábado, 3 de abril, 10:00']);
    expect(scriptErrors).toEqual([]);
    await expectAccessible(page);
    await context.close();
  });

  it('is JSON for a program at the same URL', async () => {
    for (const accept of ['application/json', '*/*']) {
      const res = await fetch(`${api.url}/series/${seriesId}`, { headers: { accept } });
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.headers.get('vary')).toMatch(/Accept/);
      expect(((await res.json()) as { id: string }).id).toBe(seriesId);
    }
  });
});

describe('registering with the keyboard alone, without JavaScript', () => {
  for (const who of [
    { city: 'Ramallah', lang: 'ar', zone: 'Asia/Hebron', email: 'salma@example.ps', name: 'سلمى خليل', inbox: 'تفقّد بريدك الوارد', confirmed: 'تم تسجيلك', reminder: '15 دقيقة قبل الجلسة' },
    { city: 'Quito', lang: 'es', zone: 'America/Guayaquil', email: 'lucia@example.ec', name: 'Lucía Pérez', inbox: 'Revise su correo', confirmed: 'Ya está inscrito', reminder: '15 minutos antes' },
  ]) {
    it(`from ${who.city}: the form, check your inbox, confirm, the confirmed page with the calendar links, the manage page`, { timeout: JOURNEY_MS }, async () => {
      const context = await browser.context({ extraHTTPHeaders: { 'accept-language': who.lang } });
      const page = await context.newPage();
      expect(await open(page, `/series/${seriesId}`)).toBe(200);
      await tabTo(page, '#name');
      expect(await focusIsVisible(page)).toBe(true);
      await page.keyboard.type(who.name);
      await tabTo(page, '#email');
      await page.keyboard.type(who.email);
      await tabTo(page, '#language');
      expect(await page.locator('#language').inputValue()).toBe(who.lang);
      await tabTo(page, '#timeZone');
      await page.keyboard.type(who.zone);
      // The series' reminders (a day and an hour before) come ticked; she adds a quarter of an hour before.
      expect(await page.locator('input[name="reminders"][value="P1D"]').isChecked()).toBe(true);
      await tabTo(page, 'input[name="reminders"][value="PT15M"]');
      await page.keyboard.press('Space');
      await tabTo(page, '#consent');
      expect(await focusIsVisible(page)).toBe(true);
      await page.keyboard.press('Space');
      await tabTo(page, 'button[type="submit"]');
      const [answer] = await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      expect(answer!.status()).toBe(202);
      expect(await page.locator('h1').textContent()).toBe(who.inbox);
      expect(await page.locator('html').getAttribute('lang')).toBe(who.lang);
      await expectAccessible(page);

      await api.takeRequests();
      const memberId = (await api.members.memberIdForEmail(who.email))!;
      const registration = fold(memberDecider, (await api.store.read(memberStreamId(memberId))) as RecordedEvent<MemberEvent>[]).registrations[seriesId]!;
      expect(registration).toMatchObject({ status: 'requested', language: who.lang, timeZone: who.zone, sessions: 'all' });

      // The confirmation mail, from the dispatcher through the local SES endpoint, in her language.
      await api.settle();
      expect((await testDispatcher(api).tick({ now: new Date() })).memberMail).toBe(1);
      const [mail] = await mailTo(who.email);
      expect(mail!.subject).toContain(who.lang === 'ar' ? 'يُرجى تأكيد تسجيلك' : 'Confirme su inscripción');
      const confirmLink = linkIn(mail!.body.text, '/registrations/confirm?token=')!;
      // Its link: a page that asks; the POST confirms.
      expect(await open(page, pathOf(confirmLink))).toBe(200);
      expect(await page.locator('html').getAttribute('lang')).toBe(who.lang);
      expect(await page.locator('#name').inputValue()).toBe(who.name);
      // What she confirms includes the reminders she chose; nothing is hers until she does.
      expect(await page.locator('main').textContent()).toContain(who.reminder);
      expect(fold(memberDecider, (await api.store.read(memberStreamId(memberId))) as RecordedEvent<MemberEvent>[]).preferences.reminderOffsets).toBeUndefined();
      await expectAccessible(page);
      await tabTo(page, 'button[type="submit"]');
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      expect(await page.locator('h1').textContent()).toBe(who.confirmed);
      expect(fold(memberDecider, (await api.store.read(memberStreamId(memberId))) as RecordedEvent<MemberEvent>[]).preferences.reminderOffsets).toEqual(['P1D', 'PT1H', 'PT15M']);
      const feed = await page.locator('p.link a').getAttribute('href');
      expect(feed).toMatch(/\/feeds\/members\/[\w-]{32}\.ics$/);
      expect(await page.locator('a[href^="webcal:"]').getAttribute('href')).toBe(feed!.replace('http:', 'webcal:'));
      expect(await page.locator('a[href^="https://calendar.google.com/"]').getAttribute('href')).toContain(encodeURIComponent(feed!.replace('http:', 'webcal:')));
      await expectAccessible(page);
      // The feed link she copies is her calendar: her sessions, with her join links.
      await api.settle();
      const ics = await (await fetch(feed!)).text();
      expect(ics).toContain('BEGIN:VCALENDAR');
      // The meeting through her own join link (test/api/attendance.e2e.test.ts), never the room's URL itself.
      expect(ics).toMatch(/LOCATION:http:\/\/127\.0\.0\.1:\d+\/sessions\/join\?token=/);
      expect(ics).not.toContain('secret-room');
      await page.locator('a', { hasText: who.lang === 'ar' ? 'إدارة تسجيلاتي' : 'Gestionar mis inscripciones' }).click();
      expect(await page.locator('html').getAttribute('lang')).toBe(who.lang);
      expect(await page.locator('#timeZone').inputValue()).toBe(who.zone);
      await expectAccessible(page);
      if (who.lang === 'ar') await screenshot(page, 'manage-ar');
      // The switch on her page gives it in English, as readable.
      const english = await context.newPage();
      await english.goto(new URL((await page.locator('nav.languages a[hreflang="en"]').getAttribute('href'))!, page.url()).href);
      expect(await english.locator('html').getAttribute('lang')).toBe('en');
      expect(await english.locator('h1').textContent()).toBe('Your registrations');
      await expectAccessible(english);
      if (who.lang === 'ar') await screenshot(english, 'manage-en');
      await english.close();

      // Reminders one day before only, with the keyboard: each box to its state, then save.
      for (const [value, wanted] of [['default', false], ['P1D', true], ['PT1H', false], ['P7D', false], ['PT15M', false]] as const) {
        const box = `input[name="reminders"][value="${value}"]`;
        await tabTo(page, box);
        if ((await page.locator(box).isChecked()) !== wanted) await page.keyboard.press('Space');
      }
      await tabTo(page, 'form[action^="/manage/preferences"] button[type="submit"]');
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      expect(await page.locator('p.notice').textContent()).toBe(who.lang === 'ar' ? 'تم حفظ لغتك ومنطقتك الزمنية وتذكيراتك.' : 'Se guardaron su idioma, su zona horaria y sus recordatorios.');
      expect(await page.locator('input[name="reminders"][value="P1D"]').isChecked()).toBe(true);
      expect(await page.locator('input[name="reminders"][value="default"]').isChecked()).toBe(false);
      const state = async () => fold(memberDecider, (await api.store.read(memberStreamId(memberId))) as RecordedEvent<MemberEvent>[]);
      expect((await state()).preferences.reminderOffsets).toEqual(['P1D']);
      await expectAccessible(page);

      // Leaving the series: one button, and her page says so.
      await tabTo(page, 'form[action^="/manage/leave"] button[type="submit"]');
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      expect(await page.locator('p.notice').textContent()).toBe(who.lang === 'ar' ? 'لقد انسحبت من السلسلة.' : 'Ha dejado la serie.');
      expect((await state()).registrations[seriesId]!.status).toBe('cancelled');
      await expectAccessible(page);
      await context.close();
    });
  }

  it('shows every problem next to its field in the visitor’s language, and writes nothing', async () => {
    const events = await api.eventCount();
    const context = await browser.context();
    const page = await context.newPage();
    await open(page, `/series/${seriesId}?lang=ar`);
    await tabTo(page, '#email');
    await page.keyboard.type('not an address');
    await tabTo(page, 'button[type="submit"]');
    const [answer] = await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    expect(answer!.status()).toBe(422);
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await page.locator('.error-summary li').allTextContents()).toEqual([
      'اكتب اسمك (200 حرف على الأكثر).',
      'اكتب عنوان بريد إلكتروني، مثل name@example.org.',
      'اختر منطقة زمنية من القائمة، مثل Asia/Hebron.',
      'ضع علامة في المربع للموافقة، وإلا فلا يمكننا تسجيلك.',
    ]);
    expect(await page.locator('#email').inputValue()).toBe('not an address');
    expect(await page.locator('#email').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page);
    await context.close();
    await api.takeRequests();
    expect(await api.eventCount()).toBe(events);
  });
});

describe('every page a member’s links open, in every language', () => {
  let memberId = '';
  let asks: Record<string, string> = {};
  beforeAll(async () => {
    const email = 'every-page@example.org';
    memberId = (await registerAndConfirm(api, seriesId, { email, name: 'Nadia Saleh', language: 'fr', timeZone: 'Europe/Paris' })).memberId;
    // A change someone asked for with her address, waiting for her.
    await register(api, seriesId, { email, name: 'Nadia Saleh', language: 'es', timeZone: 'Europe/Paris' });
    const registration = fold(memberDecider, (await api.store.read(memberStreamId(memberId))) as RecordedEvent<MemberEvent>[]).registrations[seriesId]!;
    const links = memberLinks(api.signer, api.url);
    const now = new Date();
    asks = {
      confirm: links.confirm({ memberId, seriesId, registrationId: registration.registrationId }, now),
      change: links.change({ memberId, seriesId, requestId: registration.pendingChange!.requestId }, now),
      unregister: links.unregister({ memberId, seriesId, registrationId: registration.registrationId }, now),
      unsubscribe: links.unsubscribe({ memberId, seriesId }, now),
      unsubscribeAll: links.unsubscribe({ memberId }, now),
      manage: links.manage(memberId, now),
      manageLink: `${api.url}/members/manage-link?`,
      recordings: `${api.url}/series/${seriesId}/recordings?`,
    };
  });

  const languages = [['en', 'ltr'], ['es', 'ltr'], ['fr', 'ltr'], ['ar', 'rtl']] as const;
  /** The page now open is in `lang`, in its direction, with no accessibility violation. */
  const expectPage = async (page: Page, lang: string, dir: string, what: string, status: number) => {
    expect(status, `${what} in ${lang}`).toBeLessThan(500);
    expect(await page.locator('html').getAttribute('lang'), `${what} in ${lang}`).toBe(lang);
    expect(await page.locator('html').getAttribute('dir'), `${what} in ${lang}`).toBe(dir);
    expect(await browser.accessibilityViolations(page), `${what} in ${lang}`).toEqual([]);
  };

  it.each(languages)('%s: the pages each link opens (confirm, change, unregister, unsubscribe, her page, the link form, recordings)', { timeout: JOURNEY_MS }, async (lang, dir) => {
    const context = await browser.context();
    const page = await context.newPage();
    for (const [what, url] of Object.entries(asks)) {
      const status = await open(page, `${pathOf(url)}${url.endsWith('?') ? '' : '&'}lang=${lang}`);
      expect(status, `${what} in ${lang}`).toBe(200);
      await expectPage(page, lang, dir, what, status);
    }
    await context.close();
  });

  it.each(languages)('%s: the answers of the forms (stopping mail, a new calendar link), and the error pages', { timeout: JOURNEY_MS }, async (lang, dir) => {
    const context = await browser.context();
    const page = await context.newPage();
    // Stopping mail: the first language's run sends the form; once stopped, the link's page says so.
    let stopped = await open(page, `${pathOf(asks.unsubscribe!)}&lang=${lang}`);
    if (lang === languages[0][0]) stopped = (await Promise.all([page.waitForNavigation(), page.locator('main form button[type="submit"]').click()]))[0]!.status();
    expect(await page.locator('main form').count()).toBe(0);
    expect(await page.locator('h1').textContent()).toBe(pageTranslator(lang).t('unsubscribed.title'));
    await expectPage(page, lang, dir, 'unsubscribed', stopped);
    await open(page, `${pathOf(asks.manage!)}&lang=${lang}`);
    const [feed] = await Promise.all([page.waitForNavigation(), page.locator('form[action^="/manage/feed"] button').click()]);
    expect(await page.locator('a[href^="webcal:"]').count()).toBe(1);
    await expectPage(page, lang, dir, 'new calendar link', feed!.status());
    await expectPage(page, lang, dir, '404', await open(page, `/series/no-such-series?lang=${lang}`));
    const expired = api.signer.sign({ a: 'manage', m: memberId }, new Date(Date.now() - 60_000));
    const gone = await open(page, `/manage?token=${expired}&lang=${lang}`);
    expect(gone).toBeGreaterThanOrEqual(400);
    await expectPage(page, lang, dir, 'expired link', gone);
    await context.close();
  });
});

describe('the language switch on the answer of a POST and on an error page', () => {
  const ar = pageTranslator('ar');

  it('opens, in the other language, what the POST left (the same link’s page, her page, the series page), and sends nothing again', { timeout: JOURNEY_MS }, async () => {
    const context = await browser.context();
    const page = await context.newPage();
    const email = 'switch@example.org';
    /** Follows the switch of the page open in `on` to Arabic: a GET, right to left, nothing appended; the heading it shows. */
    const toArabic = async (on: Page, what: string, status = 200) => {
      expect(await on.locator('nav.languages a').count(), what).toBe(3);
      await api.takeRequests();
      const events = await api.eventCount();
      const href = (await on.locator('nav.languages a[hreflang="ar"]').getAttribute('href'))!;
      expect(href, what).toMatch(/^\/[^/]/);
      expect(await open(on, href), what).toBe(status);
      expect(await on.locator('html').getAttribute('dir'), what).toBe('rtl');
      await api.takeRequests();
      expect(await api.eventCount(), `${what}: the switch sent nothing again`).toBe(events);
      return on.locator('h1').textContent();
    };
    const submit = async (on: Page, form = 'main form') => (await Promise.all([on.waitForNavigation(), on.locator(`${form} button[type="submit"]`).first().click()]))[0]!.status();

    // The registration form's answer: the switch leads to the series page.
    await open(page, `/series/${seriesId}?lang=fr`);
    await page.fill('#name', 'Nadia Saleh');
    await page.fill('#email', email);
    await page.fill('#timeZone', 'Europe/Paris');
    await page.check('#consent');
    expect(await submit(page)).toBe(202);
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    await toArabic(page, 'check your inbox');
    expect(await page.locator('h2#register').textContent()).toBe('التسجيل');

    // Confirming: the switch opens the same link, which now says it is confirmed.
    await api.takeRequests();
    const confirm = pathOf(await confirmLinkFor(api, email, seriesId));
    await open(page, `${confirm}&lang=fr`);
    await submit(page);
    expect(await page.locator('p.link a').count()).toBe(1);
    expect(await toArabic(page, 'confirmed')).toBe(ar.t('confirmed.already'));

    // A change asked for with her address, open in two tabs: accepted in one, the other's POST meets a spent link.
    await register(api, seriesId, { email, name: 'Nadia Saleh', language: 'es', timeZone: 'Europe/Paris' });
    const memberId = (await api.members.memberIdForEmail(email))!;
    const state = async () => fold(memberDecider, (await api.store.read(memberStreamId(memberId))) as RecordedEvent<MemberEvent>[]);
    const links = memberLinks(api.signer, api.url);
    const change = pathOf(links.change({ memberId, seriesId, requestId: (await state()).registrations[seriesId]!.pendingChange!.requestId }, new Date()));
    const second = await context.newPage();
    await open(page, `${change}&lang=fr`);
    await open(second, `${change}&lang=fr`);
    await submit(page);
    expect(await toArabic(page, 'changed')).toBe(ar.t('manage.title'));
    expect(await submit(second)).toBe(410);
    expect(await toArabic(second, 'a spent link', 410)).toBe(ar.t('error.410.title'));
    await second.close();

    // A new calendar link (under /manage): the switch opens her page.
    await open(page, `${pathOf(links.manage(memberId, new Date()))}&lang=fr`);
    await submit(page, 'form[action^="/manage/feed"]');
    expect(await page.locator('a[href^="webcal:"]').count()).toBe(1);
    expect(await toArabic(page, 'new calendar link')).toBe(ar.t('manage.title'));

    // Stopping this series' mail, then leaving it: each link's page now says it is done.
    await open(page, `${pathOf(links.unsubscribe({ memberId, seriesId }, new Date()))}&lang=fr`);
    await submit(page);
    expect(await toArabic(page, 'unsubscribed')).toBe(ar.t('unsubscribed.title'));
    await open(page, `${pathOf(links.unregister({ memberId, seriesId, registrationId: (await state()).registrations[seriesId]!.registrationId }, new Date()))}&lang=fr`);
    await submit(page);
    expect((await state()).registrations[seriesId]!.status).toBe('cancelled');
    expect(await toArabic(page, 'unregistered')).toBe(ar.t('unregistered.title'));

    // Asking for the manage link: the switch opens the form, not a second mail.
    await open(page, '/members/manage-link?lang=fr');
    await page.fill('#email', email);
    expect(await submit(page)).toBe(202);
    expect(await toArabic(page, 'check your inbox (manage link)')).toBe(ar.t('manageLink.title'));

    // An error a GET met: the same address in the other language.
    expect(await open(page, `/series/no-such-series?lang=fr`)).toBe(404);
    expect(await toArabic(page, '404', 404)).toBe(ar.t('error.404.title'));
    await context.close();
  });
});

describe('errors', () => {
  it('a browser gets a page in its language, a program problem+json, with the same status', async () => {
    const context = await browser.context({ extraHTTPHeaders: { 'accept-language': 'es' } });
    const page = await context.newPage();
    expect(await open(page, '/series/no-such-series')).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('Página no encontrada');
    await expectAccessible(page);
    expect(await open(page, '/manage?token=expired.or.forged')).toBeGreaterThanOrEqual(400);
    expect(await page.locator('html').getAttribute('lang')).toBe('es');
    await expectAccessible(page);
    await context.close();
    const res = await fetch(`${api.url}/series/no-such-series`, { headers: { accept: 'application/json' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });

  it('refuses a form sent from another site, before anything is read', async () => {
    const events = await api.eventCount();
    const res = await fetch(`${api.url}/series/${seriesId}/registrations`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site', accept: 'text/html' },
      body: new URLSearchParams({ name: 'X', email: 'victim@example.org', language: 'en', timeZone: 'UTC', sessions: 'all', consent: 'yes' }),
    });
    expect(res.status).toBe(403);
    await api.takeRequests();
    expect(await api.members.memberIdForEmail('victim@example.org')).toBeUndefined();
    expect(await api.eventCount()).toBe(events);
  });
});
