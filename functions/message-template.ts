/**
 * A catalogue message's template cut at its `{placeholders}`, for the mail catalogue
 * (functions/mail/catalogue.ts) and the pages' (functions/pages/texts/): each keeps text and
 * values apart so a value can be isolated (a `<bdi>`) or escaped on its own. A placeholder
 * without a value is a programming error, thrown at once.
 */
const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9_]*)\}/g;

export type TemplatePart<V> = { readonly text: string } | { readonly param: string; readonly value: V };

export function templateParts<V>(id: string, template: string, params: Readonly<Record<string, V>>): TemplatePart<V>[] {
  const parts: TemplatePart<V>[] = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1]!;
    if (!Object.hasOwn(params, name) || params[name] === undefined) throw new Error(`message "${id}" needs a value for {${name}}`);
    if (match.index > last) parts.push({ text: template.slice(last, match.index) });
    parts.push({ param: name, value: params[name] });
    last = match.index + match[0].length;
  }
  if (last < template.length) parts.push({ text: template.slice(last) });
  return parts;
}
