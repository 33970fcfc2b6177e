/** The message catalogues: complete in every language, and the fallback order of translator(). */
import { CERTIFICATE_MAIL_CATALOGUE } from '../../functions/mail/certificate-catalogue.js';
import { describe, expect, it } from 'vitest';
import { ACCOUNT_CATALOGUE } from '../../functions/mail/account-catalogue.js';
import { CATALOGUE, FORMAT_LOCALES, translator, type MessageId } from '../../functions/mail/catalogue.js';
import { INVITE_CATALOGUE } from '../../functions/mail/invite-catalogue.js';
import { RECORDING_CATALOGUE } from '../../functions/mail/recording-catalogue.js';
import { REMINDER_CATALOGUE } from '../../functions/mail/reminder-catalogue.js';

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

  it('has English, Spanish, French and Arabic at least', () => {
    expect(Object.keys(CATALOGUE)).toEqual(expect.arrayContaining(['en', 'es', 'fr', 'ar']));
  });
});

/** Every catalogue of every mail, by name. */
const CATALOGUES: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, string>>>>>> = {
  main: CATALOGUE,
  invite: INVITE_CATALOGUE,
  reminder: REMINDER_CATALOGUE,
  recording: RECORDING_CATALOGUE,
  account: ACCOUNT_CATALOGUE,
  certificate: CERTIFICATE_MAIL_CATALOGUE,
};

describe('every mail catalogue', () => {
  const REQUIRED = ['en', 'es', 'fr', 'ar'];

  it.each(Object.keys(CATALOGUES))('%s has the languages of the main catalogue, each with every message and the English placeholders', (name) => {
    const tables = CATALOGUES[name]!;
    expect(Object.keys(tables).sort()).toEqual(Object.keys(CATALOGUE).sort());
    expect(Object.keys(tables)).toEqual(expect.arrayContaining(REQUIRED));
    const english = tables.en!;
    const ids = Object.keys(english).sort();
    for (const [language, messages] of Object.entries(tables)) {
      expect(Object.keys(messages).sort(), `${name} ${language}: the same ids as English`).toEqual(ids);
      for (const id of ids) {
        const message = messages[id]!;
        expect(placeholders(message), `${name} ${language} ${id}`).toEqual(placeholders(english[id]!));
        expect(message.trim(), `${name} ${language} ${id}`).not.toBe('');
        expect(message, `${name} ${language} ${id}`).not.toMatch(/[\r\n\t]/);
      }
    }
  });

  it.each(Object.keys(CATALOGUES))('%s reads as Arabic in Arabic: Arabic script, Arabic punctuation, no Latin quotes', (name) => {
    for (const [id, message] of Object.entries(CATALOGUES[name]!.ar!)) {
      const words = message.replace(/\{[^{}]*\}/g, '');
      // Only formats ("{start}–{end}", "{fileName}، {size}") carry no words.
      if (/\p{L}/u.test(words)) expect(words, `${name} ar ${id}`).toMatch(/\p{Script=Arabic}/u);
      // ، ؟ ؛ rather than , ? ; and « » rather than straight or curly Latin quotes; no French spaces.
      expect(words, `${name} ar ${id}`).not.toMatch(/[,?;"“”\u00a0\u202f]/);
    }
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
    // Arabic: Latin digits (FORMAT_LOCALES), for a regional tag too unless it names its own.
    ['ar', [], 'ar', 'ar-u-nu-latn'],
    ['ar-PS', [], 'ar', 'ar-PS-u-nu-latn'],
    ['AR-il', ['en'], 'ar', 'ar-IL-u-nu-latn'],
    ['ar-u-nu-arab', [], 'ar', 'ar-u-nu-arab'],
    ['de', ['ar', 'en'], 'ar', 'ar-u-nu-latn'],
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
