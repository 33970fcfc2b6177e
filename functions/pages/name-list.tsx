/** Names joined as the page's language joins them ("A, B and C", "A وB"), each isolated in its own direction. */
import type { FC } from 'hono/jsx';
import { andList } from './formats.js';
import type { PageTranslator } from './texts/index.js';

export const NameList: FC<{ tr: PageTranslator; names: readonly string[] }> = ({ tr, names }) => (
  <>{andList(tr.locale).formatToParts(names).map((part) => (part.type === 'element' ? <bdi>{part.value}</bdi> : part.value))}</>
);
