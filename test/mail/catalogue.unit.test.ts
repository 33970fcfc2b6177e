/** The message catalogue: complete in every language, and the fallback order of translator(). */
import { describe, expect, it } from 'vitest';
import { CATALOGUE, FORMAT_LOCALES, translator, type MessageId } from '../../functions/mail/catalogue.js';

const placeholders = (text: string) => [...text.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]).sort();

describe('CATALOGUE', () => {
  const english = CATALOGUE.en!;
  const ids = Object.keys(english) as MessageId[];

  it.each(Object.keys(CATALOGUE))('%s has every message, with the same placeholders as English', (language) => {
    const messages = CATALOGUE[language]!;
    expect(Object.keys(messages).sort()).toEqual([...ids].sort());
    for (const id of ids) {
      expect(placeholders(messages[id]), `${language} ${id}`).toEqual(placeholders(english[id]));
      expect(messages[id].trim(), `${language} ${id}`).not.toBe('');
      expect(messages[id], `${language} ${id}`).not.toMatch(/[\r\n\t]/);
    }
    expect(Intl.DateTimeFormat.supportedLocalesOf([FORMAT_LOCALES[language] ?? language])).toHaveLength(1);
  });

  it('has English, Spanish and French at least', () => {
    expect(Object.keys(CATALOGUE)).toEqual(expect.arrayContaining(['en', 'es', 'fr']));
  });
});

describe('translator', () => {
  it.each([
    ['es', [], 'es', 'es'],
    ['es-419', ['en'], 'es', 'es-419'],
    ['ES-mx', [], 'es', 'es-MX'],
    ['fr-CA', ['es'], 'fr', 'fr-CA'],
    ['en', [], 'en', 'en-GB'],
    ['en-US', [], 'en', 'en-US'],
    ['de', ['es', 'en'], 'es', 'es'],
    ['de-AT', ['es-419', 'en'], 'es', 'es'],
    ['de', ['de', 'fr'], 'fr', 'fr'],
    ['de', ['de'], 'en', 'en-GB'],
    ['not a tag', ['fr'], 'fr', 'fr'],
    ['zz', [], 'en', 'en-GB'],
  ] as const)('%s with fallbacks %j → %s (formats in %s)', (language, fallbacks, chosen, locale) => {
    const tr = translator(language, fallbacks);
    expect(tr.language).toBe(chosen);
    expect(tr.locale).toBe(locale);
  });

  it('fills placeholders and refuses a missing one', () => {
    const { t, parts } = translator('en');
    expect(t('confirm.greeting', { name: 'Ana {name}' })).toBe('Hello Ana {name},');
    expect(parts('confirm.greeting', { name: '<b>' })).toEqual([{ text: 'Hello ' }, { param: 'name', value: '<b>' }, { text: ',' }]);
    expect(() => t('confirm.greeting')).toThrow(/needs a value for \{name\}/);
  });
});
