/**
 * The members' pages in every language: each catalogue has every message of the English one
 * and no other, each with the same placeholders; the language a page picks; values isolated.
 */
import { describe, expect, it } from 'vitest';
import { acceptedLanguages, choosePageLanguage, PAGE_CATALOGUE, PAGE_LANGUAGES, pageTranslator } from '../../functions/pages/texts/index.js';
import { offsetLabel } from '../../functions/pages/member-pages.js';
import { sessionTime } from '../../functions/pages/page-times.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('page catalogues', () => {
  const english = PAGE_CATALOGUE.en;
  it.each(PAGE_LANGUAGES.filter((l) => l !== 'en'))('%s has every message of English, no other, with the same placeholders', (language) => {
    const table = PAGE_CATALOGUE[language] as Record<string, string>;
    expect(Object.keys(table).sort()).toEqual(Object.keys(english).sort());
    for (const [id, text] of Object.entries(english)) {
      expect(placeholders(table[id]!), `${language} ${id}`).toEqual(placeholders(text));
      expect(table[id]!.trim(), `${language} ${id}`).not.toBe('');
    }
  });

  it('Arabic is written in Arabic script, with Arabic punctuation', () => {
    for (const [id, text] of Object.entries(PAGE_CATALOGUE.ar)) {
      if (id === 'subscribe.outlook') continue; // a product's name
      expect(text, id).toMatch(/[\u0600-\u06ff]/);
      expect(text.replace(/\{\w+\}/g, ''), id).not.toMatch(/[A-Za-z]{2,}, |\?/);
    }
  });
});

describe('the language of a page', () => {
  it('is the visitor’s choice, else the member’s, else Accept-Language by weight, else the series’ first, else English', () => {
    expect(choosePageLanguage({ chosen: 'ar', member: 'es', acceptLanguage: 'fr' })).toBe('ar');
    expect(choosePageLanguage({ chosen: 'xx', member: 'es-EC', acceptLanguage: 'fr' })).toBe('es');
    expect(choosePageLanguage({ acceptLanguage: 'de;q=0.9, ar-PS;q=0.8, fr;q=0.5', series: ['es'] })).toBe('ar');
    expect(choosePageLanguage({ acceptLanguage: 'de, it', series: ['fr', 'en'] })).toBe('fr');
    expect(choosePageLanguage({})).toBe('en');
  });

  it('reads Accept-Language as browsers send it, dropping q=0 and *', () => {
    expect(acceptedLanguages('fr-CA,fr;q=0.9,en;q=0.8,*;q=0.5,es;q=0')).toEqual(['fr-CA', 'fr', 'en']);
    expect(acceptedLanguages(undefined)).toEqual([]);
  });
});

describe('page text', () => {
  it('isolates each value in a <bdi>, so a right-to-left title keeps the sentence whole', () => {
    const html = String(pageTranslator('en').n('confirm.intro', { series: 'الجلسة 6# حول الرعاية' }));
    expect(html).toBe('Please confirm your registration for <bdi>الجلسة 6# حول الرعاية</bdi>. It counts once you confirm it here.');
  });

  it('writes reminder offsets with each language’s plural forms', () => {
    expect(offsetLabel(pageTranslator('en'), 'P1D')).toBe('1 day before');
    expect(offsetLabel(pageTranslator('es'), 'PT15M')).toBe('15 minutos antes');
    expect(offsetLabel(pageTranslator('fr'), 'P7D').replace(/\s/g, ' ')).toBe('7 jours avant');
    expect(offsetLabel(pageTranslator('ar'), 'PT2H')).toBe('ساعتان قبل الجلسة');
  });

  it('shows a session in the home zone with its offset; both offsets when a change falls inside it', () => {
    // Europe/London falls back at 02:00 BST on 31 October 2027: 00:30–02:30 UTC is 01:30 BST to 02:30 GMT.
    expect(sessionTime('2027-10-31T00:30:00Z', '2027-10-31T02:30:00Z', 'Europe/London', 'en-GB').text).toBe('Sunday, 31 October 2027, 01:30 (UTC+01:00)–02:30 (UTC+00:00) (Europe/London)');
    expect(sessionTime('2027-03-20T16:00:00Z', '2027-03-20T17:30:00Z', 'Asia/Hebron', 'ar-u-nu-latn').text).toBe('السبت، 20 مارس 2027، 18:00–19:30 (Asia/Hebron، UTC+02:00)');
  });
});
