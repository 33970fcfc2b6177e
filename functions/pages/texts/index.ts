/**
 * The members' pages in their language: the catalogues (one file per language), how a page
 * picks its language, and a translator whose values come isolated in <bdi> (a title in
 * another direction keeps the sentence around it whole).
 *
 * A page's language: the visitor's own choice (the switch on every page, `?lang=`), else the
 * member's language, else the browser's Accept-Language, else the series' first language,
 * else English.
 */
import type { Child } from 'hono/jsx';
import { Fragment, jsx } from 'hono/jsx';
import { ar } from './ar.js';
import { en, type PageMessageId, type PageMessages } from './en.js';
import { es } from './es.js';
import { fr } from './fr.js';
import { templateParts } from '../../message-template.js';

export type { PageMessageId, PageMessages } from './en.js';

/** Every language the pages are written in, in the order the switch lists them. */
export const PAGE_LANGUAGES = ['en', 'es', 'fr', 'ar'] as const;
export type PageLanguage = (typeof PAGE_LANGUAGES)[number];

export const PAGE_CATALOGUE: Readonly<Record<PageLanguage, PageMessages>> = { en, es, fr, ar };

/**
 * The locale dates are written in: a bare `en` reads "Thursday, 25 March 2027" for a worldwide
 * audience; Arabic keeps its month and day names with Latin digits, as the Arabic-speaking
 * communities' own mail and sites write times.
 */
const LOCALES: Readonly<Record<PageLanguage, string>> = { en: 'en-GB', es: 'es', fr: 'fr', ar: 'ar-u-nu-latn' };

const RIGHT_TO_LEFT = new Set(['ar', 'he', 'fa', 'ur']);

/** The page language for a BCP 47 tag (`es-419` → `es`), or undefined. */
export function pageLanguageOf(tag: string | undefined): PageLanguage | undefined {
  const primary = tag?.trim().toLowerCase().split(/[-_]/)[0];
  return PAGE_LANGUAGES.find((l) => l === primary);
}

/** The tags of an Accept-Language header, most wanted first (q=0 left out). */
export function acceptedLanguages(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .slice(0, 20)
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), i };
    })
    .filter((x) => x.tag && x.tag !== '*' && x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i)
    .map((x) => x.tag);
}

export interface LanguageChoice {
  /** The visitor's choice on the page (`?lang=`). */
  readonly chosen?: string | undefined;
  /** The member's own language, where the page is for a member. */
  readonly member?: string | undefined;
  readonly acceptLanguage?: string | undefined;
  /** The series' languages, its first language first. */
  readonly series?: readonly string[] | undefined;
}

export function choosePageLanguage(choice: LanguageChoice): PageLanguage {
  const candidates = [choice.chosen, choice.member, ...acceptedLanguages(choice.acceptLanguage), ...(choice.series ?? [])];
  for (const tag of candidates) {
    const language = pageLanguageOf(tag);
    if (language) return language;
  }
  return 'en';
}

export interface PageTranslator {
  readonly language: PageLanguage;
  /** The locale dates and numbers are formatted in. */
  readonly locale: string;
  readonly dir: 'rtl' | 'ltr';
  /** The message as text, its placeholders filled in. */
  t(id: PageMessageId, params?: Readonly<Record<string, string | number>>): string;
  /** The message as JSX, each value in a <bdi>. */
  n(id: PageMessageId, params?: Readonly<Record<string, Child>>): Child;
}

export function pageTranslator(language: PageLanguage): PageTranslator {
  const messages = PAGE_CATALOGUE[language];
  const split = (id: PageMessageId, params: Readonly<Record<string, unknown>>) => templateParts(id, messages[id], params);
  return {
    language,
    locale: LOCALES[language],
    dir: isRightToLeft(language) ? 'rtl' : 'ltr',
    t: (id, params = {}) => split(id, params).map((p) => ('text' in p ? p.text : String(p.value))).join(''),
    n: (id, params = {}) => jsx(Fragment, {}, ...split(id, params).map((p) => ('text' in p ? p.text : jsx('bdi', {}, p.value as Child)))),
  };
}

export function isRightToLeft(tag: string): boolean {
  return RIGHT_TO_LEFT.has(tag.toLowerCase().split('-')[0]!);
}

/** A language's own name ("Español"), for the switch and the language lists. */
export const languageName = (language: PageLanguage) => PAGE_CATALOGUE[language]['language.name'];
