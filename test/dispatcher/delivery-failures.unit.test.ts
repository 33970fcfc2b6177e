/**
 * Reading the ledger strictly (a record that does not say what was sent is reported, never
 * turned into NaN), what a stored failure says, what a mail is made of (its basis), and what
 * a tick tells CloudWatch.
 */
import { Metrics } from '@aws-lambda-powertools/metrics';
import { describe, expect, it } from 'vitest';
import { failureOf, setFailure } from '../../functions/adapters/deliveries/delivery-failures.js';
import { ledgerItem } from '../../functions/adapters/deliveries/delivery-ledger.js';
import { basisOf, type TickReport } from '../../functions/dispatcher/dispatch.js';
import { addTickMetrics, TICK_METRICS } from '../../functions/dispatcher/metrics.js';
import { madeFrom } from '../../functions/dispatcher/work.js';

const sent = { pk: 'invites#s', sk: 'x#m', sentRank: 2, messageId: 'ses-1', sentAt: '2027-02-01T12:00:00.000Z', detail: { method: 'REQUEST', sequence: 1, basis: 1 } };

describe('a ledger item read back', () => {
  it('is what was sent, or nothing yet', () => {
    expect(ledgerItem({ pk: 'invites#s', sk: 'x#m' })).toEqual({ sk: 'x#m' });
    expect(ledgerItem(sent)).toEqual({ sk: 'x#m', sent: { rank: 2, messageId: 'ses-1', sentAt: sent.sentAt, detail: sent.detail } });
  });

  it('that an earlier version wrote for mail it never sent is marked so', () => {
    const legacy = ledgerItem({ ...sent, sentRank: 0, messageId: 'not-composed:TypeError: join URL must be https', detail: {} });
    expect(legacy.notSent).toMatch(/^not-composed:/);
    expect(legacy.sent?.rank).toBe(0);
    expect(ledgerItem({ ...sent, messageId: 'rejected:MessageRejected', detail: {} }).notSent).toBe('rejected:MessageRejected');
  });

  it('whose send record does not parse says so, and offers no rank to compute with', () => {
    for (const broken of [{ sentRank: 'two' }, { sentRank: Number.NaN }, { messageId: undefined }, { detail: 'REQUEST' }, { detail: { sequence: Number.POSITIVE_INFINITY } }]) {
      const item = ledgerItem({ ...sent, ...broken });
      expect(item.sent, JSON.stringify(broken)).toBeUndefined();
      expect(item.unreadable).toMatch(/does not parse/);
    }
  });

  it('carries its failure, with the retry its reason calls for', () => {
    const { values } = setFailure({ code: 'not-composed', reason: 'join URL must be https', kind: 'invite', seriesId: 's', memberId: 'm', sessionId: 'x', basis: 'b1', at: new Date('2027-02-01T12:00:00Z') });
    const stored = { ...sent, failure: values[':failure'], failureFirstAt: '2027-02-01T11:00:00.000Z', failureAttempts: 3 };
    expect(failureOf(stored)).toEqual({
      code: 'not-composed',
      reason: 'join URL must be https',
      kind: 'invite',
      seriesId: 's',
      memberId: 'm',
      sessionId: 'x',
      basis: 'b1',
      retry: 'after-change',
      firstAt: '2027-02-01T11:00:00.000Z',
      lastAt: '2027-02-01T12:00:00.000Z',
      attempts: 3,
    });
    expect(ledgerItem(stored).failure?.code).toBe('not-composed');
    // A failure that does not parse is as good as none: the next attempt writes it anew.
    expect(failureOf({ ...sent, failure: { code: 'bogus' } })).toBeUndefined();
  });
});

describe("what a member's mail is made of", () => {
  const ctx = (version: number, memberVersion: number) => ({ madeFrom: madeFrom(version, memberVersion) });
  const record = { memberId: 'm', email: 'amal@example.org', name: 'Amal', createdAt: '2027-01-01T00:00:00Z' };

  it('changes with the series, the registration and the member record, and holds nothing else', () => {
    const base = basisOf(ctx(4, 2), record);
    expect(basisOf(ctx(4, 2), { ...record })).toBe(base);
    expect(basisOf(ctx(5, 2), record)).not.toBe(base);
    expect(basisOf(ctx(4, 3), record)).not.toBe(base);
    expect(basisOf(ctx(4, 2), { ...record, email: 'amal.h@example.org' })).not.toBe(base);
    expect(basisOf(ctx(4, 2), { ...record, name: 'Amal H.' })).not.toBe(base);
    expect(basisOf(ctx(4, 2), undefined)).not.toBe(base);
    expect(base).not.toContain('amal');
  });
});

describe('what a tick tells CloudWatch', () => {
  it('counts mail sent, mail that could not be sent and series not planned, as EMF', () => {
    const metrics = new Metrics({ namespace: 'Convene', serviceName: 'dispatcher' });
    const report = {
      outcomes: { sent: 7, taken: 0, skipped: 1, deferred: 0, failed: 1, rejected: 2, held: 4 },
      failures: { 'not-composed': 2, 'send-failed': 1 },
      planFailures: [{ streamId: 'series-x', reason: 'TypeError' }],
    } as unknown as TickReport;
    addTickMetrics(metrics, report);
    const emf = metrics.serializeMetrics() as unknown as Record<string, unknown> & { _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][] }[] } };
    expect(emf._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'Convene', Dimensions: [['service']] });
    expect(emf).toMatchObject({ service: 'dispatcher', [TICK_METRICS.sent]: 7, [TICK_METRICS.undeliverable]: 3, [TICK_METRICS.planFailures]: 1 });
  });
});
