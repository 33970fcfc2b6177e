import { describe, expect, it } from 'vitest';
import { detectFormat, formatRefusal, partCount, partSizes, MULTIPART_PART_BYTES, MULTIPART_THRESHOLD_BYTES } from '../../events/series/recording-files.js';
import { recordingObjectKey, safeFileName, uploadOfKey } from '../../functions/recordings/object-keys.js';

const bytes = (...parts: (string | number[])[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));

describe('what the first bytes of a file show it to be', () => {
  it('knows the media containers organisers upload', () => {
    expect(detectFormat(bytes([0, 0, 0, 0x20], 'ftypisom', [0, 0, 2, 0]))).toBe('iso-media');
    expect(detectFormat(bytes([0, 0, 0, 0x14], 'ftypqt  '))).toBe('iso-media');
    expect(detectFormat(bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f]))).toBe('matroska');
    expect(detectFormat(bytes('OggS', [0, 2]))).toBe('ogg');
    expect(detectFormat(bytes('ID3', [4, 0]))).toBe('mpeg-audio');
    expect(detectFormat(bytes([0xff, 0xfb, 0x90, 0x64]))).toBe('mpeg-audio');
    expect(detectFormat(bytes('RIFF', [0x24, 0, 0, 0], 'WAVEfmt '))).toBe('riff-wave');
    expect(detectFormat(bytes('fLaC'))).toBe('flac');
  });

  it('tells documents, captions, markup and text apart', () => {
    expect(detectFormat(bytes('%PDF-1.7\n'))).toBe('pdf');
    expect(detectFormat(bytes('WEBVTT\n\n00:00.000 --> 00:01.000\nHola'))).toBe('webvtt');
    expect(detectFormat(bytes([0xef, 0xbb, 0xbf], 'WEBVTT - captions\n'))).toBe('webvtt');
    expect(detectFormat(bytes('  <!doctype html><script>alert(1)</script>'))).toBe('markup');
    expect(detectFormat(bytes('Transcript of the 10th Virtual Dialogue\n'))).toBe('text');
    expect(detectFormat(bytes('Grabaci\xc3\xb3n'))).toBe('text');
    expect(detectFormat(bytes([0, 1, 2, 3, 0x80]))).toBe('binary');
    // A text file that starts with "G" is not an MPEG transport stream.
    expect(detectFormat(bytes('Gender equality transcript'))).toBe('text');
  });

  it('refuses bytes that cannot be served as the announced type', () => {
    expect(formatRefusal('iso-media', 'video/mp4')).toBeUndefined();
    expect(formatRefusal('binary', 'video/x-flv')).toBeUndefined();
    expect(formatRefusal('pdf', 'video/mp4')).toMatch(/PDF document, not video\/mp4/);
    expect(formatRefusal('markup', 'audio/mpeg')).toMatch(/markup/);
    expect(formatRefusal('text', 'application/pdf')).toMatch(/plain text, not application\/pdf/);
    expect(formatRefusal('webvtt', 'text/vtt; charset=utf-8')).toBeUndefined();
    expect(formatRefusal('text', 'text/vtt')).toMatch(/not text\/vtt/);
    expect(formatRefusal('webvtt', 'text/plain')).toBeUndefined();
  });

  it('uploads in parts from the threshold on', () => {
    expect(partCount(MULTIPART_THRESHOLD_BYTES - 1)).toBe(1);
    expect(partCount(MULTIPART_THRESHOLD_BYTES)).toBe(Math.ceil(MULTIPART_THRESHOLD_BYTES / MULTIPART_PART_BYTES));
    expect(partCount(10 * 1024 ** 3)).toBe(160);
  });

  it('gives every part its exact size (each part URL signs it): full parts, the rest last', () => {
    expect(partSizes(9)).toEqual([9]);
    expect(partSizes(MULTIPART_THRESHOLD_BYTES + 5)).toEqual([MULTIPART_PART_BYTES, MULTIPART_THRESHOLD_BYTES + 5 - MULTIPART_PART_BYTES]);
    expect(partSizes(3 * MULTIPART_PART_BYTES)).toEqual([MULTIPART_PART_BYTES, MULTIPART_PART_BYTES, MULTIPART_PART_BYTES]);
    const ten = partSizes(10 * 1024 ** 3);
    expect(ten).toHaveLength(160);
    expect(ten.reduce((a, b) => a + b, 0)).toBe(10 * 1024 ** 3);
  });
});

describe('where an upload is stored', () => {
  it('drops path tricks and odd characters from the stored name', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('..\\..\\windows\\win.ini')).toBe('win.ini');
    expect(safeFileName('.htaccess')).toBe('htaccess');
    expect(safeFileName('Grabación 3 de mayo.mp4')).toBe('Grabacion-3-de-mayo.mp4');
    expect(safeFileName('a\r\nX-Injected: 1.mp4')).toBe('a-X-Injected-1.mp4');
    expect(safeFileName('录像')).toBe('file');
  });

  it('reads the upload back from its key, and nothing from a key it did not hand out', () => {
    const ids = { seriesId: 'vd10', sessionId: 'webinar', uploadId: 'u-1' };
    const key = recordingObjectKey(ids, '../Webinar 3 May.mp4');
    expect(key).toBe('recordings/vd10/webinar/u-1/Webinar-3-May.mp4');
    expect(uploadOfKey(key)).toEqual(ids);
    expect(uploadOfKey('recordings/vd10/webinar/../x/file.mp4')).toBeUndefined();
    expect(uploadOfKey('other/vd10/webinar/u-1/file.mp4')).toBeUndefined();
  });
});
