/**
 * A participants report's id names the report in AttendanceRecorded (an Id: it starts with a
 * letter or digit). The CI run of 0a22b4a failed once because a report's base64url digest began
 * with "-" and the import was refused with a 422; one report in 32 did.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Id } from '../../events/shared/values.js';
import { reportIdOf } from '../../functions/api/participants-report.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('the id of a participants report', () => {
  it('is a valid Id even when the digest starts base64url with "-" or "_"', () => {
    const report = 'Name,Email\nA,a168@example.org\n';
    expect(createHash('sha256').update(report).digest('base64url')[0]).toBe('-');
    expect(Id.safeParse(reportIdOf(bytes(report))).success).toBe(true);
    for (let i = 0; i < 2000; i++) expect(Id.safeParse(reportIdOf(bytes(`Name,Email\nA,a${i}@example.org\n`))).success, `report ${i}`).toBe(true);
  });

  it('is the same for the same bytes (importing again is recognised) and differs for others', () => {
    const a = reportIdOf(bytes('Name,Email\nA,a@example.org\n'));
    expect(reportIdOf(bytes('Name,Email\nA,a@example.org\n'))).toBe(a);
    expect(reportIdOf(bytes('Name,Email\nA,b@example.org\n'))).not.toBe(a);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
  });
});
