/** Checks of iCalendar text shared by the feed and the iMIP mail tests. */
import { expect } from 'vitest';

/** The raw (unfolded) content lines. */
export function contentLines(ics: string): string[] {
  return ics.replace(/\r\n[ \t]/g, '').split('\r\n').filter((line) => line.length > 0);
}

/** CRLF everywhere (the last line too), no bare CR or LF, every physical line at most 75 octets of valid UTF-8. */
export function expectFoldedCrlf(ics: string) {
  expect(ics.endsWith('\r\n'), 'the last line ends with CRLF').toBe(true);
  expect(ics.replace(/\r\n/g, ''), 'no bare CR or LF').not.toMatch(/[\r\n]/);
  // Split the UTF-8 bytes, not the string: folding never splits a multi-octet character.
  const bytes = Buffer.from(ics, 'utf8');
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let from = 0;
  for (let i = 0; i < bytes.length - 1; i++) {
    if (bytes[i] === 0x0d && bytes[i + 1] === 0x0a) {
      const line = bytes.subarray(from, i);
      expect(line.length, `line ${JSON.stringify(line.toString())}`).toBeLessThanOrEqual(75);
      expect(() => decoder.decode(line)).not.toThrow();
      from = i + 2;
    }
  }
  expect(from).toBe(bytes.length);
}
