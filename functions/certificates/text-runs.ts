/**
 * Text in any script, set line by line for pdfkit: the Unicode bidirectional algorithm
 * (UAX #9, by bidi-js) per paragraph, lines wrapped at spaces, each line cut into runs of
 * one embedding level and one face, and the runs put in visual order (rule L2).
 *
 * What pdfkit and fontkit do and do not do (pdfkit 0.20, fontkit 2.0; pdfkit issues #219 and
 * #1524: pdfkit has no bidi of its own):
 * - fontkit shapes a run (Arabic joining, Indic reordering and conjuncts through its
 *   OpenType shapers) and, when the run's script is right-to-left, returns its glyphs in
 *   visual order. The script is guessed from the first character that has one, so a run must
 *   be of one script; a right-to-left run of neutrals only would come back unreversed, and a
 *   left-to-right run of Arabic-Indic digits (٢٠٢٧) reversed: such runs are turned around
 *   here before fontkit sees them, so that its turn puts them right.
 * - fontkit does not mirror brackets in right-to-left runs (no Bidi_Mirrored substitution):
 *   done here (rule L4).
 * - pdfkit lays a string out word by word (cut at spaces), which puts the words of an
 *   Arabic phrase in the wrong order; passing `features` makes it lay the whole run out at
 *   once, so every run is drawn with `features: []` (the font's default features).
 */
import bidiModule from 'bidi-js';
import type { Face } from './fonts.js';

// bidi-js is CommonJS (module.exports = factory) typed as if it were an ES module with a
// default export: at run time the default import is the factory itself (Node, vitest), or
// the ES build's default (esbuild). Take whichever is there.
type BidiFactory = typeof bidiModule.default;
const bidiFactory: BidiFactory = (bidiModule as { default?: BidiFactory }).default ?? (bidiModule as unknown as BidiFactory);
const bidi = bidiFactory();

export type Direction = 'ltr' | 'rtl';

/** One run of a set line: text to hand to pdfkit as is (with `features: []`), in one face. */
export interface SetRun {
  readonly text: string;
  readonly face: Face;
  /** Its width at the size it was set in, in points. */
  readonly width: number;
  readonly level: number;
}

export interface SetLine {
  /** In visual order, left to right. */
  readonly runs: readonly SetRun[];
  readonly width: number;
}

export interface SetParagraph {
  readonly lines: readonly SetLine[];
  readonly size: number;
}

/** What the setter needs of the fonts: whether a face has a character, and how wide a run is. */
export interface FaceMetrics {
  has(face: Face, codePoint: number): boolean;
  /** The advance width, in points at `size`, of `text` laid out whole by fontkit in `face`. */
  width(face: Face, size: number, text: string): number;
}

/** The smallest size text is ever set at, in points. */
const FLOOR = 6;

/** First strong isolate and pop directional isolate: a value set inside a sentence keeps its own direction. */
export const isolate = (value: string) => `\u2068${value}\u2069`;

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });

/** Bidi controls (marks, embeddings, overrides, isolates): they steer the algorithm and are not drawn. */
const BIDI_CONTROL = /^[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+$/u;
/** Characters without a script of their own (spaces, digits, punctuation, combining marks): they take their neighbours'. */
const NO_SCRIPT = /[\p{Script=Common}\p{Script=Inherited}\p{Script=Unknown}]/u;
/** Default ignorables (joiners, variation selectors, ...): no face needs a glyph for them. */
const IGNORABLE = /\p{Default_Ignorable_Code_Point}/u;

/** The scripts fontkit writes right to left (its `RTL` table), as JavaScript names them. */
const RIGHT_TO_LEFT_SCRIPT = new RegExp(
  `[${[
    'Arabic', 'Hebrew', 'Syriac', 'Thaana', 'Cypriot', 'Kharoshthi', 'Phoenician', 'Nko', 'Lydian', 'Avestan', 'Imperial_Aramaic',
    'Inscriptional_Pahlavi', 'Inscriptional_Parthian', 'Old_South_Arabian', 'Old_Turkic', 'Samaritan', 'Mandaic', 'Meroitic_Cursive',
    'Meroitic_Hieroglyphs', 'Manichaean', 'Mende_Kikakui', 'Nabataean', 'Old_North_Arabian', 'Palmyrene', 'Psalter_Pahlavi',
  ]
    .map((s) => `\\p{Script=${s}}`)
    .join('')}]`,
  'u',
);

/** The face each script is set in first; everything else starts with the serif (Latin, Greek, Cyrillic). */
const FACE_OF_SCRIPT: readonly (readonly [RegExp, Face])[] = [
  [/\p{Script=Arabic}/u, 'arabic'],
  [/\p{Script=Hebrew}/u, 'hebrew'],
  [/\p{Script=Devanagari}/u, 'devanagari'],
];

/** The fallback chain after the script's own face. */
const CHAIN: readonly Face[] = ['serif', 'arabic', 'devanagari', 'hebrew', 'fallback'];

interface Cluster {
  readonly start: number;
  readonly text: string;
  readonly face: Face;
  readonly level: number;
  readonly control: boolean;
  readonly space: boolean;
}

/** Whether fontkit will take `text` as a right-to-left run: the first character with a script decides. */
function fontkitReadsRightToLeft(text: string): boolean {
  for (const char of text) if (!NO_SCRIPT.test(char)) return RIGHT_TO_LEFT_SCRIPT.test(char);
  return false;
}

const reverseClusters = (text: string) =>
  Array.from(graphemes.segment(text), (s) => s.segment)
    .reverse()
    .join('');

const mirrored = (text: string) => Array.from(text, (c) => bidi.getMirroredCharacter(c) ?? c).join('');

export class TextSetter {
  /** Widths at 1 pt, by face and text: a width grows with the size, so each run is measured once whatever size is tried. */
  private readonly unitWidths = new Map<string, number>();

  constructor(private readonly metrics: FaceMetrics) {}

  private width(face: Face, size: number, text: string): number {
    const key = `${face}\u0000${text}`;
    let unit = this.unitWidths.get(key);
    if (unit === undefined) {
      unit = this.metrics.width(face, 1, text);
      this.unitWidths.set(key, unit);
    }
    return unit * size;
  }

  /**
   * Sets a paragraph in lines no wider than `maxWidth`, at `size` or, where that takes more
   * than `maxLines` lines, at the largest size down to `minSize` that does. Text that does not
   * fit even then is set smaller still, down to FLOOR, rather than run off its place.
   */
  set(text: string, direction: Direction, options: { size: number; minSize?: number; maxWidth: number; maxLines?: number }): SetParagraph {
    const clusters = this.clusters(text, direction);
    const maxLines = options.maxLines ?? 1;
    const minSize = options.minSize ?? options.size;
    // The sizes to try, largest first: half points down to minSize, then whole points down to FLOOR.
    const sizes: number[] = [];
    for (let size = options.size; size > minSize; size -= 0.5) sizes.push(size);
    for (let size = minSize; size > FLOOR; size -= 1) sizes.push(size);
    sizes.push(Math.min(FLOOR, minSize));
    const fits = (size: number) => {
      const lines = this.wrap(clusters, size, options.maxWidth, maxLines);
      return lines.length <= maxLines && lines.every((l) => l.width <= options.maxWidth);
    };
    // The first size that fits (a smaller size never takes more lines), found by halving.
    let [low, high] = [0, sizes.length - 1];
    while (low < high) {
      const mid = Math.floor((low + high) / 2);
      if (fits(sizes[mid]!)) high = mid;
      else low = mid + 1;
    }
    const size = sizes[low]!;
    return { lines: this.wrap(clusters, size, options.maxWidth), size };
  }

  /** The grapheme clusters of a paragraph with their face and embedding level. */
  private clusters(text: string, direction: Direction): Cluster[] {
    const { levels } = bidi.getEmbeddingLevels(text, direction);
    const parts = Array.from(graphemes.segment(text), ({ segment, index }) => ({ segment, index, face: faceOfScript(segment) }));
    // A cluster without a script of its own takes the face of the script before it, else after it.
    let previous: Face | undefined;
    for (const part of parts) {
      part.face ??= previous;
      previous = part.face;
    }
    let next: Face | undefined;
    for (const part of parts.toReversed()) {
      part.face ??= next;
      next = part.face;
    }
    return parts.map(({ segment, index, face }) => ({
      start: index,
      text: segment,
      face: this.faceFor(segment, face ?? 'serif'),
      level: levels[index] ?? 0,
      control: BIDI_CONTROL.test(segment),
      space: /^\s+$/u.test(segment),
    }));
  }

  /** The script's own face if it has every character of the cluster, else the first face of the chain that does. */
  private faceFor(cluster: string, preferred: Face): Face {
    const codePoints = Array.from(cluster, (c) => c.codePointAt(0)!).filter((c) => !IGNORABLE.test(String.fromCodePoint(c)));
    const covers = (face: Face) => codePoints.every((c) => this.metrics.has(face, c));
    if (covers(preferred)) return preferred;
    return CHAIN.find(covers) ?? preferred;
  }

  /** Greedy wrapping at spaces (and between clusters only where a word alone is wider than the line). */
  private wrap(clusters: readonly Cluster[], size: number, maxWidth: number, enough = Infinity): SetLine[] {
    const fits = (candidate: readonly Cluster[]) => this.line(candidate, size).width <= maxWidth;
    const lines: Cluster[][] = [];
    let current: Cluster[] = [];
    for (const word of words(clusters)) {
      // More lines than allowed: the rest does not matter (the size is too big).
      if (lines.length > enough) break;
      if (current.length && !fits([...current, ...word])) {
        lines.push(current);
        current = [];
      }
      if (current.length || fits(word)) {
        current.push(...word);
        continue;
      }
      // The longest start of the rest of the word that fits, found by halving (one cluster at least).
      let rest = word;
      while (rest.length && lines.length <= enough) {
        let [low, high] = [1, rest.length];
        while (low < high) {
          const mid = Math.ceil((low + high) / 2);
          if (fits(rest.slice(0, mid))) low = mid;
          else high = mid - 1;
        }
        current = rest.slice(0, low);
        rest = rest.slice(low);
        if (rest.length) lines.push(current);
      }
    }
    if (current.length) lines.push(current);
    return lines.map((line) => this.line(line, size));
  }

  /** One line: clusters (in logical order) to runs in visual order. */
  private line(clusters: readonly Cluster[], size: number): SetLine {
    // Spaces at either end of a line are not drawn (rule L1 sets the trailing ones to the paragraph level).
    let from = 0;
    let to = clusters.length;
    while (from < to && (clusters[from]!.space || clusters[from]!.control)) from++;
    while (to > from && (clusters[to - 1]!.space || clusters[to - 1]!.control)) to--;

    const groups: Cluster[][] = [];
    let group: Cluster[] = [];
    for (const c of clusters.slice(from, to)) {
      const last = group.at(-1);
      if (c.control || (last && (last.face !== c.face || last.level !== c.level))) {
        if (group.length) groups.push(group);
        group = [];
      }
      if (!c.control) group.push(c);
    }
    if (group.length) groups.push(group);

    const runs = reorder(groups.map((g) => this.run(g, size)));
    return { runs, width: runs.reduce((w, r) => w + r.width, 0) };
  }

  private run(group: readonly Cluster[], size: number): SetRun {
    const level = group[0]!.level;
    const rightToLeft = level % 2 === 1;
    let text = group.map((c) => c.text).join('');
    if (rightToLeft) text = mirrored(text);
    // fontkit reverses the runs it takes as right-to-left; make it agree with the level.
    if (fontkitReadsRightToLeft(text) !== rightToLeft) text = reverseClusters(text);
    const face = group[0]!.face;
    return { text, face, level, width: this.width(face, size, text) };
  }
}

/** A paragraph's words, each with the spaces after it. */
function words(clusters: readonly Cluster[]): Cluster[][] {
  const out: Cluster[][] = [];
  let word: Cluster[] = [];
  for (const [i, cluster] of clusters.entries()) {
    word.push(cluster);
    if (cluster.space && !clusters[i + 1]?.space) {
      out.push(word);
      word = [];
    }
  }
  if (word.length) out.push(word);
  return out;
}

function faceOfScript(cluster: string): Face | undefined {
  for (const char of cluster) {
    if (NO_SCRIPT.test(char)) continue;
    return FACE_OF_SCRIPT.find(([pattern]) => pattern.test(char))?.[1] ?? 'serif';
  }
  return undefined;
}

/** Rule L2: from the highest level down to the lowest odd one, reverse every sequence of runs at that level or above. */
function reorder(runs: SetRun[]): SetRun[] {
  if (!runs.length) return runs;
  const highest = Math.max(...runs.map((r) => r.level));
  const lowestOdd = Math.min(...runs.map((r) => (r.level % 2 ? r.level : r.level + 1)));
  let order = runs;
  for (let level = highest; level >= lowestOdd; level--) {
    const next: SetRun[] = [];
    for (let i = 0; i < order.length; ) {
      if (order[i]!.level < level) {
        next.push(order[i++]!);
        continue;
      }
      let j = i;
      while (j < order.length && order[j]!.level >= level) j++;
      next.push(...order.slice(i, j).reverse());
      i = j;
    }
    order = next;
  }
  return order;
}
