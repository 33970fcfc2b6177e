/**
 * A series' recordings archive as a page (`GET /series/{id}/recordings` for a browser): each
 * published recording, newest first, with its session's time in the home zone, speakers and
 * files (recording, captions, transcript, slides) by name and size.
 */
import type { FC } from 'hono/jsx';
import { Layout } from './layout.js';
import { NameList } from './name-list.js';
import { unitFormat } from './formats.js';
import type { PageLanguage, PageTranslator } from './texts/index.js';

export interface ArchivedRecording {
  readonly sessionId: string;
  readonly title: string;
  readonly when: { readonly text: string; readonly datetime: string };
  readonly speakers: readonly string[];
  readonly files: readonly { readonly asset: 'recording' | 'captions' | 'transcript' | 'slides'; readonly url: string; readonly fileName: string; readonly size: number }[];
}

export interface RecordingsPageProps {
  readonly tr: PageTranslator;
  readonly languageHref: (language: PageLanguage) => string;
  readonly series: string;
  readonly seriesUrl: string;
  readonly recordings: readonly ArchivedRecording[];
}

export const RecordingsPage: FC<RecordingsPageProps> = ({ tr, languageHref, series, seriesUrl, recordings }) => {
  const size = (bytes: number) => unitFormat(tr.locale, bytes >= 1024 * 1024 ? 'megabyte' : 'kilobyte').format(bytes >= 1024 * 1024 ? bytes / (1024 * 1024) : bytes / 1024);
  return (
    <Layout title={`${tr.t('recordings.heading')}: ${series}`} tr={tr} languageHref={languageHref}>
      <p>
        <a href={seriesUrl}>
          <bdi>{series}</bdi>
        </a>
      </p>
      {recordings.length === 0 ? <p>{tr.t('recordings.none')}</p> : null}
      <ol class="sessions">
        {recordings.map((r) => (
          <li id={`session-${r.sessionId}`}>
            <h2 dir="auto">{r.title}</h2>
            <p>
              <time datetime={r.when.datetime}>
                <bdi>{r.when.text}</bdi>
              </time>
            </p>
            {r.speakers.length > 0 ? <p class="muted">{tr.n('session.speakers', { speakers: <NameList tr={tr} names={r.speakers} /> })}</p> : null}
            <ul>
              {r.files.map((f) => (
                <li>
                  <a href={f.url}>{tr.t(`asset.${f.asset}`)}</a>{' '}
                  <span class="muted" dir="ltr">
                    ({f.fileName}, {size(f.size)})
                  </span>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
    </Layout>
  );
};
