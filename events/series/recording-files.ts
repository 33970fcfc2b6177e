/**
 * What a session's recording files may be: the asset a content type stands for, the largest
 * file of each asset, and whether the bytes that arrived are what the content type says.
 * Pure: the decider applies these rules; the archiver only reports what it found.
 *
 * | asset      | content types                 | at most  |
 * |------------|-------------------------------|----------|
 * | recording  | video/*, audio/*              | 10 GiB   |
 * | captions   | text/vtt                      | 20 MiB   |
 * | transcript | text/plain, text/vtt          | 20 MiB   |
 * | slides     | application/pdf               | 500 MiB  |
 *
 * Files of `MULTIPART_THRESHOLD_BYTES` or more are uploaded in parts of `MULTIPART_PART_BYTES`.
 */
import type { RecordingAsset } from './events.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export const MAX_BYTES: Readonly<Record<RecordingAsset, number>> = {
  recording: 10 * GiB,
  captions: 20 * MiB,
  transcript: 20 * MiB,
  slides: 500 * MiB,
};

/** At and above this size an upload is multipart (S3 takes at most 5 GiB in one PUT). */
export const MULTIPART_THRESHOLD_BYTES = 100 * MiB;
/** Every part but the last (S3: 5 MiB to 5 GiB, at most 10,000 parts). */
export const MULTIPART_PART_BYTES = 64 * MiB;

/** The content type without parameters, lower case: `Video/MP4; codecs=x` -> `video/mp4`. */
export const baseType = (contentType: string): string => contentType.split(';')[0]!.trim().toLowerCase();

const TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

/** The asset a content type is, or why it cannot be one. `asset` is what the organiser said, if anything. */
export function assetFor(contentType: string, asset?: RecordingAsset): { asset: RecordingAsset } | { refusal: string } {
  const type = baseType(contentType);
  if (!TYPE.test(type)) return { refusal: `"${contentType}" is not a content type such as video/mp4` };
  const accepted = acceptedTypes(type);
  if (accepted.length === 0) {
    return { refusal: `${type} is not accepted: a recording is video/* or audio/*, captions text/vtt, a transcript text/plain or text/vtt, slides application/pdf` };
  }
  if (asset === undefined) return { asset: accepted[0]! };
  if (!accepted.includes(asset)) return { refusal: `${type} cannot be the ${asset}: it can be the ${accepted.join(' or the ')}` };
  return { asset };
}

function acceptedTypes(type: string): RecordingAsset[] {
  if (type.startsWith('video/') || type.startsWith('audio/')) return ['recording'];
  if (type === 'text/vtt') return ['captions', 'transcript'];
  if (type === 'text/plain') return ['transcript'];
  if (type === 'application/pdf') return ['slides'];
  return [];
}

/** Why a file of this size cannot be this asset, or undefined. */
export function sizeRefusal(asset: RecordingAsset, size: number): string | undefined {
  if (!Number.isSafeInteger(size) || size < 1) return 'must be a whole number of bytes, at least 1';
  if (size > MAX_BYTES[asset]) return `a ${asset} file may be at most ${describeBytes(MAX_BYTES[asset])} (${MAX_BYTES[asset]} bytes); this one is ${size}`;
  return undefined;
}

export function describeBytes(bytes: number): string {
  return bytes >= GiB ? `${bytes / GiB} GiB` : `${bytes / MiB} MiB`;
}

/** How many parts an upload of this size has (1: a single upload, not multipart). */
export const partCount = (size: number): number => (size < MULTIPART_THRESHOLD_BYTES ? 1 : Math.ceil(size / MULTIPART_PART_BYTES));

/** The size of each part of a multipart upload of this size, in order: `MULTIPART_PART_BYTES` each, the rest last. */
export function partSizes(size: number): number[] {
  const count = partCount(size);
  return Array.from({ length: count }, (_, i) => (i < count - 1 ? MULTIPART_PART_BYTES : size - MULTIPART_PART_BYTES * (count - 1)));
}

/**
 * What the first bytes of a file show it to be. `binary`: nothing recognised, not text.
 * Detection looks at most at the first `FORMAT_HEAD_BYTES` bytes.
 */
export type FileFormat =
  | 'iso-media' // MP4, QuickTime, M4A, 3GP (an ISO base media `ftyp` box)
  | 'matroska' // WebM, MKV
  | 'ogg'
  | 'mpeg-audio' // MP3 (ID3 tag or frame sync), ADTS AAC
  | 'riff-wave'
  | 'riff-avi'
  | 'flac'
  | 'mpeg-ts'
  | 'asf' // WMV, WMA
  | 'pdf'
  | 'webvtt'
  | 'markup' // HTML, XML, SVG: never served as a recording
  | 'text'
  | 'binary';

export const FORMAT_HEAD_BYTES = 512;

export function detectFormat(head: Uint8Array): FileFormat {
  const ascii = (from: number, text: string) => text.split('').every((ch, i) => head[from + i] === ch.charCodeAt(0));
  const bytes = (from: number, values: number[]) => values.every((v, i) => head[from + i] === v);
  if (ascii(4, 'ftyp')) return 'iso-media';
  if (bytes(0, [0x1a, 0x45, 0xdf, 0xa3])) return 'matroska';
  if (ascii(0, 'OggS')) return 'ogg';
  if (ascii(0, 'fLaC')) return 'flac';
  if (ascii(0, 'RIFF') && ascii(8, 'WAVE')) return 'riff-wave';
  if (ascii(0, 'RIFF') && ascii(8, 'AVI ')) return 'riff-avi';
  if (bytes(0, [0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11])) return 'asf';
  if (ascii(0, '%PDF-')) return 'pdf';
  if (ascii(0, 'ID3') || (head[0] === 0xff && head.length > 1 && (head[1]! & 0xe0) === 0xe0)) return 'mpeg-audio';
  if (head[0] === 0x47 && head.length > 188 && head[188] === 0x47) return 'mpeg-ts';
  const text = asText(head);
  if (text === undefined) return 'binary';
  if (/^WEBVTT(?:[ \t\r\n]|$)/.test(text)) return 'webvtt';
  if (/^\s*</.test(text)) return 'markup';
  return 'text';
}

/** The head as text (a UTF-8 BOM dropped), or undefined when it holds bytes no text file has. */
function asText(head: Uint8Array): string | undefined {
  const start = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  for (let i = start; i < head.length; i++) {
    const b = head[i]!;
    if (b === 0 || (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c)) return undefined;
  }
  // A multi-byte character cut at the end of the head is fine: decode without `fatal`.
  return new TextDecoder('utf-8').decode(head.subarray(start));
}

const MEDIA_FORMATS: readonly FileFormat[] = ['iso-media', 'matroska', 'ogg', 'mpeg-audio', 'riff-wave', 'riff-avi', 'flac', 'mpeg-ts', 'asf', 'binary'];

const FORMAT_NAMES: Readonly<Record<FileFormat, string>> = {
  'iso-media': 'MP4 or QuickTime media',
  matroska: 'WebM or Matroska media',
  ogg: 'Ogg media',
  'mpeg-audio': 'MPEG audio',
  'riff-wave': 'WAVE audio',
  'riff-avi': 'AVI video',
  flac: 'FLAC audio',
  'mpeg-ts': 'an MPEG transport stream',
  asf: 'Windows Media',
  pdf: 'a PDF document',
  webvtt: 'WebVTT text',
  markup: 'HTML or XML markup',
  text: 'plain text',
  binary: 'binary data',
};

/** Why bytes of this format cannot be served as this content type, or undefined when they can. */
export function formatRefusal(format: FileFormat, contentType: string): string | undefined {
  const type = baseType(contentType);
  const fits =
    type.startsWith('video/') || type.startsWith('audio/')
      ? MEDIA_FORMATS.includes(format)
      : type === 'application/pdf'
        ? format === 'pdf'
        : type === 'text/vtt'
          ? format === 'webvtt'
          : type === 'text/plain'
            ? format === 'text' || format === 'webvtt'
            : false;
  return fits ? undefined : `the file's bytes are ${FORMAT_NAMES[format]}, not ${type} as announced`;
}
