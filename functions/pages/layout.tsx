/**
 * The frame of every page Convene shows a person: one readable column, a language, a title,
 * the site's stylesheet (no inline style or script, so a strict Content-Security-Policy holds),
 * nothing that needs JavaScript. Pages are hono JSX, rendered on the server.
 */
import type { Child, FC } from 'hono/jsx';

export const STYLESHEET_PATH = '/assets/convene.css';

export interface LayoutProps {
  readonly title: string;
  /** BCP 47 tag of the page's text. */
  readonly lang?: string;
  readonly children?: Child;
}

export const Layout: FC<LayoutProps> = ({ title, lang = 'en', children }) => (
  <html lang={lang} dir={isRightToLeft(lang) ? 'rtl' : 'ltr'}>
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="referrer" content="no-referrer" />
      <title>{title} · Convene</title>
      <link rel="stylesheet" href={STYLESHEET_PATH} />
    </head>
    <body>
      <main>
        <h1>{title}</h1>
        {children}
      </main>
    </body>
  </html>
);

/** A page's whole document, as hono JSX renders it, with its doctype. */
export function pageHtml(page: Child): string {
  return `<!DOCTYPE html>${String(page)}`;
}

function isRightToLeft(tag: string): boolean {
  return ['ar', 'he', 'fa', 'ur'].includes(tag.toLowerCase().split('-')[0]!);
}
