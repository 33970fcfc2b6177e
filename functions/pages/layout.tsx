/**
 * The frame of every page Convene shows a person: one readable column, its language and
 * direction (Arabic right to left), a title, the switch to the other languages, the site's
 * stylesheet (no inline style or script, so a strict Content-Security-Policy holds), nothing
 * that needs JavaScript. Pages are hono JSX, rendered on the server.
 */
import type { Child, FC } from 'hono/jsx';
import { SCRIPT_PATH } from './page-script.js';
import { languageName, PAGE_LANGUAGES, type PageLanguage, type PageTranslator } from './texts/index.js';

export const STYLESHEET_PATH = '/assets/convene.css';

export interface LayoutProps {
  readonly title: string;
  readonly tr: PageTranslator;
  /** The same page in another language (the switch: functions/api/language-switch.ts). */
  readonly languageHref: (language: PageLanguage) => string;
  readonly children?: Child;
}

export const Layout: FC<LayoutProps> = ({ title, tr, languageHref, children }) => (
  <html lang={tr.language} dir={tr.dir}>
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="referrer" content="no-referrer" />
      <title>{`${title} · Convene`}</title>
      <link rel="stylesheet" href={STYLESHEET_PATH} />
      <script src={SCRIPT_PATH} defer />
    </head>
    <body>
      <header>
        <nav aria-label={tr.t('layout.languages')} class="languages">
          <ul>
            {PAGE_LANGUAGES.map((language) => (
              <li>
                {language === tr.language ? (
                  <span aria-current="page" lang={language} dir="auto">
                    {languageName(language)}
                  </span>
                ) : (
                  <a href={languageHref(language)} hreflang={language} lang={language} dir="auto">
                    {languageName(language)}
                  </a>
                )}
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main>
        <h1 dir="auto">{title}</h1>
        {children}
      </main>
      <footer>
        <p class="muted">{tr.t('layout.footer')}</p>
      </footer>
    </body>
  </html>
);

/** A page's whole document, as hono JSX renders it, with its doctype. */
export function pageHtml(page: Child): string {
  return `<!DOCTYPE html>${String(page)}`;
}
