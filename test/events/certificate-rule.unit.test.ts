/** Certificates of participation in the domain: the rule (events/certificates/rule.ts) and the member decider's issuing and revoking. */
import { describe, expect, it } from 'vitest';
import { evaluateCertificateRule, type SessionFacts } from '../../events/certificates/rule.js';
import { NotFoundError } from '../../events/shared/errors.js';
import { memberDecider, type MemberCommand, type MemberEvent } from '../../events/member/index.js';
import { specFor } from '../support/decider-spec.js';

const session = (sessionId: string, start: string, minutes: number, status: 'scheduled' | 'cancelled' = 'scheduled'): SessionFacts => ({
  sessionId,
  status,
  startsAt: start,
  endsAt: new Date(Date.parse(start) + minutes * 60_000).toISOString(),
});
// A course of 15 academic hours: five days of three hours, one day cancelled.
const course = [
  session('d1', '2027-04-05T13:00:00.000Z', 180),
  session('d2', '2027-04-06T13:00:00.000Z', 180),
  session('d3', '2027-04-07T13:00:00.000Z', 180),
  session('d4', '2027-04-08T13:00:00.000Z', 180),
  session('d5', '2027-04-09T13:00:00.000Z', 180),
  session('d6', '2027-04-10T13:00:00.000Z', 180, 'cancelled'),
];

describe('the certificate rule', () => {
  it('counts sessions attended, of those not cancelled', () => {
    const attended = { d1: {}, d2: {}, d3: {}, d6: {} };
    expect(evaluateCertificateRule({ sessions: 3 }, course, attended)).toEqual({ met: true, sessionsAttended: 3, sessionsTotal: 5, hours: 9 });
    expect(evaluateCertificateRule({ sessions: 4 }, course, attended).met).toBe(false);
    expect(evaluateCertificateRule({ sessions: 'all' }, course, attended).met).toBe(false);
    expect(evaluateCertificateRule({ sessions: 'all' }, course, { d1: {}, d2: {}, d3: {}, d4: {}, d5: {} }).met).toBe(true);
    // Nothing held, nothing to meet.
    expect(evaluateCertificateRule({ sessions: 'all' }, [course[5]!], { d6: {} }).met).toBe(false);
  });

  it('counts hours: a report’s minutes (at most the session’s length), else the whole session', () => {
    expect(evaluateCertificateRule({ hours: 15 }, course, { d1: {}, d2: {}, d3: {}, d4: {}, d5: {} })).toMatchObject({ met: true, hours: 15 });
    expect(evaluateCertificateRule({ hours: 15 }, course, { d1: {}, d2: {}, d3: {}, d4: {}, d5: { minutes: 170 } })).toMatchObject({ met: false, hours: 14.83 });
    expect(evaluateCertificateRule({ hours: 3 }, course, { d1: { minutes: 400 } })).toMatchObject({ met: true, hours: 3 });
  });
});

describe('the member decider and certificates', () => {
  const spec = specFor(memberDecider);
  const ids = { memberId: 'm1', seriesId: 'course' };
  const context = { rule: { sessions: 2 } as const, sessions: course, certificateId: 'cert-1', issuedAt: '2027-04-06T16:00:00.000Z' };
  const attended = (sessionId: string): MemberEvent => ({ type: 'AttendanceRecorded', data: { ...ids, sessionId, source: 'join-link', joinedAt: '2027-04-05T13:05:00.000Z' } });
  const issued: MemberEvent = { type: 'CertificateIssued', data: { ...ids, certificateId: 'cert-1', sessionsAttended: 2, sessionsTotal: 5, hours: 6, issuedAt: '2027-04-06T16:00:00.000Z' } };

  it('issues the certificate with the attendance that meets the rule, once', () => {
    const join: MemberCommand = { type: 'RecordAttendance', ...ids, sessionId: 'd2', source: 'join-link', joinedAt: '2027-04-06T13:05:00.000Z', certificate: context };
    spec([attended('d1')]).when(join).then([{ type: 'AttendanceRecorded', data: { ...ids, sessionId: 'd2', source: 'join-link', joinedAt: '2027-04-06T13:05:00.000Z' } }, issued]);
    expect(spec([]).when({ ...join, sessionId: 'd1' } as MemberCommand).events().map((e) => e.type)).toEqual(['AttendanceRecorded']);
    spec([attended('d1'), attended('d2'), issued]).when({ type: 'IssueCertificate', ...ids, ...context, certificateId: 'cert-2' }).then([]);
    spec([attended('d1'), attended('d2')]).when({ type: 'IssueCertificate', ...ids, ...context }).then([issued]);
    spec([attended('d1')]).when({ type: 'IssueCertificate', ...ids, ...context }).then([]);
  });

  it('revokes a certificate once; another id is refused; a revoked one is not issued again', () => {
    const revoke: MemberCommand = { type: 'RevokeCertificate', ...ids, certificateId: 'cert-1', revokedAt: '2027-05-01T00:00:00.000Z', reason: 'Issued by mistake' };
    const revoked: MemberEvent = { type: 'CertificateRevoked', data: { ...ids, certificateId: 'cert-1', revokedAt: '2027-05-01T00:00:00.000Z', reason: 'Issued by mistake' } };
    spec([issued]).when(revoke).then([revoked]);
    spec([issued, revoked]).when(revoke).then([]);
    spec([issued]).when({ ...revoke, certificateId: 'cert-9' } as MemberCommand).thenThrows(NotFoundError);
    spec([attended('d1'), attended('d2'), issued, revoked]).when({ type: 'IssueCertificate', ...ids, ...context, certificateId: 'cert-2' }).then([]);
  });
});
