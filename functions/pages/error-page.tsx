/**
 * The page a browser gets for an error (a program gets the same problem as
 * application/problem+json): the status in the visitor's language, what to do next, and the
 * problem's detail (written in English by the API) marked as English.
 */
import type { FC } from 'hono/jsx';
import { Layout } from './layout.js';
import type { PageLanguage, PageMessageId, PageTranslator } from './texts/index.js';

const TITLES: Readonly<Record<number, PageMessageId>> = {
  400: 'error.400.title',
  403: 'error.403.title',
  404: 'error.404.title',
  409: 'error.409.title',
  410: 'error.410.title',
  412: 'error.409.title',
  413: 'error.413.title',
  415: 'error.415.title',
  422: 'error.422.title',
  429: 'error.429.title',
};

const BODIES: Readonly<Record<number, PageMessageId>> = {
  404: 'error.404.body',
  410: 'error.410.body',
  429: 'error.429.body',
};

export const ErrorPage: FC<{ tr: PageTranslator; languageHref: (language: PageLanguage) => string; status: number; detail: string; manageLinkUrl: string }> = ({ tr, languageHref, status, detail, manageLinkUrl }) => {
  const title = TITLES[status] ?? (status >= 500 ? 'error.500.title' : 'error.400.title');
  const body = BODIES[status] ?? (status >= 500 ? 'error.500.body' : undefined);
  return (
    <Layout title={tr.t(title)} tr={tr} languageHref={languageHref}>
      {body ? <p>{tr.t(body)}</p> : null}
      {status < 500 ? (
        <>
          <h2>{tr.t('error.details')}</h2>
          <p lang="en" dir="ltr">
            {detail}
          </p>
        </>
      ) : null}
      {status === 410 || status === 404 ? (
        <p>
          <a href={manageLinkUrl}>{tr.t('error.newLink')}</a>
        </p>
      ) : null}
    </Layout>
  );
};
