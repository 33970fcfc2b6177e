/**
 * A week's heat map (../../events/fair-times/heat-map.ts) as a standalone SVG document, for
 * `Accept: image/svg+xml`: an organiser opens it in a browser or pastes it into a report.
 *
 * - Self-contained: no script, no style sheet, no external reference (the only `url(#…)` are
 *   the document's own pattern and gradient, their ids prefixed per map so two maps inline in
 *   one page do not clash), fonts only as a generic stack.
 * - A 7 × 24 grid, Monday to Sunday by hour in the home zone; each cell shaded by the share of
 *   registrants awake on ColorBrewer's single-hue "Blues" (light = none awake, dark = all),
 *   whose lightness falls steadily, so it reads in greyscale and to colour-blind readers; the
 *   percentage is written in each cell too, black or white, whichever contrasts more (at
 *   least 4.5:1 on every shade). An hour the home zone skips is hatched.
 * - Marks: a session is a black dot, a suggested time a white diamond, each on its cell's
 *   outline at its minute within the hour (both ringed, so they show on light and dark cells).
 * - Every text is escaped (labels are the organisers' words) and stripped of characters XML
 *   cannot carry; a label sits in Unicode isolates (FSI … PDI), so an Arabic title neither
 *   reorders the text around it nor is reordered.
 */
import type { HeatMapCell, HeatMapMark, WeekHeatMap } from '../../events/fair-times/index.js';

export interface HeatMapSvgOptions {
  /** The heading (and the SVG's accessible name); default "Registrants awake, by hour of the week". */
  readonly title?: string;
}

/** ColorBrewer "Blues" (9 classes), lightest first. */
const BLUES = ['#f7fbff', '#deebf7', '#c6dbef', '#9ecae1', '#6baed6', '#4292c6', '#2171b5', '#08519c', '#08306b'] as const;

const rgbOf = (hex: string): [number, number, number] => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
const hexOf = (rgb: readonly number[]) => `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;

/** The fill of a cell where `share` (0 to 1) of the registrants are awake. */
export function awakeFill(share: number): string {
  const t = Math.min(1, Math.max(0, Number.isFinite(share) ? share : 0)) * (BLUES.length - 1);
  const i = Math.min(BLUES.length - 2, Math.floor(t));
  const a = rgbOf(BLUES[i]!);
  const b = rgbOf(BLUES[i + 1]!);
  return hexOf(a.map((c, k) => c + (b[k]! - c) * (t - i)));
}

/** WCAG relative luminance of `#rrggbb`. */
function luminance(hex: string): number {
  const [r, g, b] = rgbOf(hex).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Black or white, whichever contrasts more with `fill`. */
const inkOn = (fill: string) => (luminance(fill) > Math.sqrt(1.05 * 0.05) - 0.05 ? '#000000' : '#ffffff');

// ---- text ----

/** Characters XML 1.0 cannot carry (C0 controls but tab and line breaks, U+FFFE/U+FFFF, lone surrogates). */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text for an element's content or an attribute value. */
export function xmlText(text: string): string {
  return String(text)
    .replace(NOT_XML, '\uFFFD')
    .replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** An organiser's words in their own direction, isolated from the text around them. */
const isolated = (text: string) => `\u2068${text}\u2069`;

/** At most `max` characters (code points), with an ellipsis when cut. */
function clipped(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** `2027-03-23` → "Tue 23 Mar" (and the year when asked). */
function dayLabel(date: string, withYear = false): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const at = new Date(0);
  at.setUTCFullYear(y, m - 1, d);
  const weekday = WEEKDAYS[(at.getUTCDay() + 6) % 7]!;
  return `${weekday} ${d} ${MONTHS[m - 1]!}${withYear ? ` ${date.slice(0, 4)}` : ''}`;
}

const two = (n: number) => String(n).padStart(2, '0');

/** A share as a whole percentage that says 100 only when all are awake and 0 only when none are. */
function percent(count: number, total: number): number {
  if (total <= 0 || count <= 0) return 0;
  if (count >= total) return 100;
  return Math.min(99, Math.max(1, Math.round((count / total) * 100)));
}

/** A stable id prefix for this map (FNV-1a of what tells it apart), so two maps in one page keep their own ids. */
function idPrefix(map: WeekHeatMap, title: string): string {
  const key = JSON.stringify([map.homeZone, map.week, map.durationMinutes, map.total, title, map.marks.map((m) => [m.start, m.label, m.kind])]);
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return `heat-map-${h.toString(16).padStart(8, '0')}`;
}

// ---- layout (user units = CSS pixels at width) ----

const MARGIN = 16;
const LABEL_WIDTH = 92;
const CELL_W = 32;
const CELL_H = 30;
/** Drawn cells are a unit smaller than their pitch: a white line between them. */
const GAP = 1;
const GRID_X = MARGIN + LABEL_WIDTH;
const GRID_Y = 98;
const WIDTH = GRID_X + 24 * CELL_W + MARGIN;
const GRID_BOTTOM = GRID_Y + 7 * CELL_H;
const LEGEND_Y = GRID_BOTTOM + 22;
const LIST_Y = LEGEND_Y + 60;
const LIST_LINE = 18;
/** Marks listed in words below the legend; the rest are counted. */
const LISTED_MARKS = 12;
const TEXT = '#1a1a1a';
/** Hatching and outlines: 4.5:1 on white. */
const MUTED = '#595959';

const cellX = (hour: number) => GRID_X + hour * CELL_W;
const cellY = (day: number) => GRID_Y + (day - 1) * CELL_H;
/** A mark's centre: at its minute along the lower part of its cell, kept clear of the cell's edges. */
const MARK_PAD = 6;
const markX = (hour: number, minute: number) => cellX(hour) + MARK_PAD + (minute / 60) * (CELL_W - GAP - 2 * MARK_PAD);
const markY = (day: number) => cellY(day) + CELL_H - GAP - 7.5;

function markShape(kind: HeatMapMark['kind'], cx: number, cy: number): string {
  if (kind === 'session') return `<circle cx="${cx}" cy="${cy}" r="4" fill="#000000" stroke="#ffffff" stroke-width="1.5"/>`;
  const r = 5;
  return `<polygon points="${cx},${cy - r} ${cx + r},${cy} ${cx},${cy + r} ${cx - r},${cy}" fill="#ffffff" stroke="#000000" stroke-width="1.5"/>`;
}

const KIND_WORDS = { session: 'Session', suggestion: 'Suggested time' } as const;

/** The heat map as a complete SVG document. */
export function heatMapSvg(map: WeekHeatMap, options: HeatMapSvgOptions = {}): string {
  const title = options.title ?? 'Registrants awake, by hour of the week';
  const id = idPrefix(map, title);
  const zone = map.homeZone;
  const first = map.dates[0]!;
  const last = map.dates[6]!;
  const sameYear = first.slice(0, 4) === last.slice(0, 4);
  const span = `${dayLabel(first, !sameYear)} to ${dayLabel(last, true)}`;
  const registrants = `${map.total} registrant${map.total === 1 ? '' : 's'}`;
  const waking = `${map.wakingHours.from}–${map.wakingHours.to}`;
  const night = `${map.nightHours.from}–${map.nightHours.to}`;
  const scored = map.cells.filter((c): c is Extract<HeatMapCell, { skipped: false }> => !c.skipped);
  // The offset is worth saying only in a week when the home zone's clocks change.
  const offsetsChange = new Set(scored.map((c) => c.offset)).size > 1 || scored.length < map.cells.length;
  const cellDate = (c: HeatMapCell) => dayLabel(c.homeLocal.slice(0, 10));

  const cellTitle = (c: HeatMapCell): string => {
    const when = `${cellDate(c)} ${two(c.hour)}:00`;
    if (c.skipped) {
      const what = c.skippedMinutes >= 60 ? `${when} ${zone}: this hour does not exist that day` : `${when}–${two(c.hour)}:${two(c.skippedMinutes - 1)} ${zone}: this time does not exist that day`;
      return `${what} (the clocks go forward); not scored`;
    }
    const at = `${when} ${zone}${offsetsChange ? ` (UTC${c.offset})` : ''}${c.repeated ? `, the first of the two ${two(c.hour)}:00s (the clocks go back)` : ''}`;
    if (map.total === 0) return `${at}: no registrants`;
    const worst = c.worstOff.length > 0 ? ` (worst off: ${c.worstOff.join(', ')}${c.worstOffMore ? ', …' : ''})` : '';
    return `${at}: ${percent(c.awake, map.total)}% awake (${c.awake} of ${map.total}), ${c.night} at night${worst}`;
  };

  const markWhen = (m: HeatMapMark) => `${dayLabel(m.homeLocal.slice(0, 10))} ${m.homeLocal.slice(11, 16)} ${zone}${m.inWeek ? '' : ' (another week)'}`;
  const markSummary = (m: HeatMapMark) => `${map.total === 0 ? 'no registrants' : `${percent(m.awake, map.total)}% awake, ${m.night} at night`}`;
  const markTitle = (m: HeatMapMark) => `${KIND_WORDS[m.kind]}: ${isolated(m.label)} — ${markWhen(m)}: ${markSummary(m)}`;

  const out: string[] = [];
  const push = (s: string) => out.push(s);

  // Description for assistive technology: what the map shows and its best hour.
  const best = scored.reduce<(typeof scored)[number] | undefined>((b, c) => (!b || c.awake > b.awake ? c : b), undefined);
  const counts = { session: map.marks.filter((m) => m.kind === 'session').length, suggestion: map.marks.filter((m) => m.kind === 'suggestion').length };
  const desc = [
    `Heat map of the share of ${registrants} awake for a ${map.durationMinutes}-minute session starting at each hour of week ${map.week} (${span}), hours in ${zone}.`,
    `Awake: the whole session within ${waking} local time; at night: some of it within ${night}.`,
    best && map.total > 0 ? `Most awake: ${percent(best.awake, map.total)}% from ${cellDate(best)} ${two(best.hour)}:00.` : '',
    map.skippedHours.length > 0 ? `Hours that do not exist in ${zone} that week (clocks go forward): ${map.skippedHours.map((h) => `${dayLabel(h.slice(0, 10))} ${h.slice(11)}`).join(', ')}.` : '',
    map.marks.length > 0 ? `Marked: ${counts.session} session${counts.session === 1 ? '' : 's'}, ${counts.suggestion} suggested time${counts.suggestion === 1 ? '' : 's'}.` : '',
  ]
    .filter(Boolean)
    .join(' ');

  const listed = map.marks.slice(0, LISTED_MARKS);
  const more = map.marks.length - listed.length;
  const listLines = listed.length + (more > 0 ? 1 : 0);
  const height = listLines > 0 ? LIST_Y + listLines * LIST_LINE : LEGEND_Y + 44;

  push('<?xml version="1.0" encoding="UTF-8"?>');
  push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-labelledby="${id}-title ${id}-desc" xml:lang="en" font-family="system-ui, sans-serif" font-size="12" fill="${TEXT}">`,
  );
  push(`<title id="${id}-title">${xmlText(title)}</title>`);
  push(`<desc id="${id}-desc">${xmlText(desc)}</desc>`);
  push('<defs>');
  push(
    `<pattern id="${id}-gap" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="${MUTED}" stroke-width="2"/></pattern>`,
  );
  push(`<linearGradient id="${id}-scale" x1="0" y1="0" x2="1" y2="0">${BLUES.map((c, i) => `<stop offset="${(i / (BLUES.length - 1)).toFixed(4)}" stop-color="${c}"/>`).join('')}</linearGradient>`);
  push('</defs>');
  // A white ground: the map stays legible pasted on a dark page.
  push(`<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`);

  // Caption.
  push(`<text x="${MARGIN}" y="30" font-size="17" font-weight="bold">${xmlText(title)}</text>`);
  push(`<text x="${MARGIN}" y="52">${xmlText(`Week ${map.week}: ${span} · hours in ${zone} · ${map.durationMinutes}-minute sessions · ${registrants}`)}</text>`);
  push(`<text x="${MARGIN}" y="70">${xmlText(`Awake: the whole session within ${waking} local time. Numbers: % of registrants awake for a session starting at that hour.`)}</text>`);

  // Hour labels, then weekday labels.
  push(`<g font-size="11" text-anchor="middle" aria-hidden="true">`);
  for (let h = 0; h < 24; h++) push(`<text x="${cellX(h) + (CELL_W - GAP) / 2}" y="${GRID_Y - 8}">${two(h)}</text>`);
  push('</g>');
  push(`<g text-anchor="end" aria-hidden="true">`);
  map.dates.forEach((date, d) => push(`<text x="${GRID_X - 8}" y="${cellY(d + 1) + (CELL_H - GAP) / 2 + 4}" data-row="${d + 1}">${xmlText(dayLabel(date))}</text>`));
  push('</g>');

  // Cells.
  push('<g>');
  for (const c of map.cells) {
    const x = cellX(c.hour);
    const y = cellY(c.day);
    const place = `x="${x}" y="${y}" width="${CELL_W - GAP}" height="${CELL_H - GAP}" data-day="${c.day}" data-hour="${c.hour}"`;
    if (c.skipped) {
      push(`<rect ${place} data-skipped="true" fill="url(#${id}-gap)" stroke="${MUTED}" stroke-width="0.5"><title>${xmlText(cellTitle(c))}</title></rect>`);
      continue;
    }
    const fill = awakeFill(c.awakeShare);
    push(`<rect ${place} data-awake-share="${Number(c.awakeShare.toFixed(4))}" fill="${fill}"><title>${xmlText(cellTitle(c))}</title></rect>`);
    push(`<text x="${x + (CELL_W - GAP) / 2}" y="${y + 13}" font-size="10" text-anchor="middle" fill="${inkOn(fill)}" pointer-events="none" aria-hidden="true">${percent(c.awake, map.total)}</text>`);
  }
  push('</g>');

  // Marks: the cell's outline, and the shape at the minute.
  if (map.marks.length > 0) {
    push('<g>');
    map.marks.forEach((m, i) => {
      const x = cellX(m.hour);
      const y = cellY(m.day);
      const inset = 2;
      const outline = `x="${x + inset}" y="${y + inset}" width="${CELL_W - GAP - 2 * inset}" height="${CELL_H - GAP - 2 * inset}" fill="none"`;
      const dash = m.kind === 'suggestion' ? ' stroke-dasharray="3 2"' : '';
      push(
        `<g data-mark="${m.kind}" data-mark-index="${i}" data-day="${m.day}" data-hour="${m.hour}" data-minute="${m.minute}" data-in-week="${m.inWeek}"><title>${xmlText(markTitle(m))}</title>` +
          `<rect ${outline} stroke="#ffffff" stroke-width="3"/><rect ${outline} stroke="#000000" stroke-width="1.5"${dash}/>` +
          `${markShape(m.kind, markX(m.hour, m.minute), markY(m.day))}</g>`,
      );
    });
    push('</g>');
  }

  // Legend: the scale, the hatching, the shapes.
  push(`<g aria-hidden="true">`);
  push(`<rect x="${GRID_X}" y="${LEGEND_Y}" width="240" height="12" fill="url(#${id}-scale)" stroke="${MUTED}" stroke-width="0.5"/>`);
  push(`<text x="${GRID_X}" y="${LEGEND_Y + 28}" font-size="11">0%</text>`);
  push(`<text x="${GRID_X + 120}" y="${LEGEND_Y + 28}" font-size="11" text-anchor="middle">50%</text>`);
  push(`<text x="${GRID_X + 240}" y="${LEGEND_Y + 28}" font-size="11" text-anchor="end">100% awake</text>`);
  let keyX = GRID_X + 280;
  if (map.skippedHours.length > 0) {
    push(`<rect x="${keyX}" y="${LEGEND_Y}" width="16" height="12" fill="url(#${id}-gap)" stroke="${MUTED}" stroke-width="0.5"/>`);
    push(`<text x="${keyX + 22}" y="${LEGEND_Y + 10}" font-size="11">hour does not exist (clocks go forward)</text>`);
    keyX += 250;
  }
  for (const kind of ['session', 'suggestion'] as const) {
    if (counts[kind] === 0) continue;
    push(`<rect x="${keyX}" y="${LEGEND_Y - 4}" width="20" height="20" fill="${BLUES[4]}"/>${markShape(kind, keyX + 10, LEGEND_Y + 6)}`);
    push(`<text x="${keyX + 26}" y="${LEGEND_Y + 10}" font-size="11">${kind === 'session' ? 'session' : 'suggested time'}</text>`);
    keyX += kind === 'session' ? 90 : 120;
  }
  push('</g>');

  // The marks in words (a printed report has no tooltips).
  if (listLines > 0) {
    push('<g font-size="11">');
    listed.forEach((m, i) => {
      const y = LIST_Y + i * LIST_LINE;
      push(`<g aria-hidden="true">${markShape(m.kind, GRID_X + 5, y - 4)}</g>`);
      push(`<text x="${GRID_X + 16}" y="${y}" data-mark-label="${i}">${xmlText(`${markWhen(m)} · ${markSummary(m)} · ${isolated(clipped(m.label, 80))}`)}</text>`);
    });
    if (more > 0) push(`<text x="${GRID_X + 16}" y="${LIST_Y + listed.length * LIST_LINE}">${xmlText(`and ${more} more (each mark's tooltip names it)`)}</text>`);
    push('</g>');
  }
  push('</svg>');
  return `${out.join('\n')}\n`;
}
