/**
 * The delivery ledger on DynamoDB Local, with claims and records made at once so that they go
 * out grouped in transactions: each caller still gets its own item's answer, a group in which
 * some items are already sent or leased settles the others, and two ledgers (two dispatchers)
 * claiming the same items win each item exactly once between them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryLedger, type DeliveryLedger, type LedgerKey } from '../../functions/adapters/deliveries/delivery-ledger.js';
import { createFailureReader } from '../../functions/adapters/deliveries/delivery-failures.js';
import { documentClient } from '../../functions/adapters/dynamodb-client.js';
import { createTables } from '../../infra/local/create-tables.js';
import { deliveryTable, localTableNames } from '../../functions/tables.js';
import { clients } from '../support/local.js';

let table: string;
const ledger = (): DeliveryLedger => createDeliveryLedger(documentClient(clients().dynamodb), table);
const NOW = new Date('2027-03-01T12:00:00Z');
const LEASE_MS = 5 * 60_000;
const EXPIRES = new Date('2027-06-01T00:00:00Z');
const keys = (pk: string, n: number): LedgerKey[] => Array.from({ length: n }, (_, i) => ({ pk, sk: `m${String(i).padStart(3, '0')}` }));
const lease = (owner: string, now = NOW) => ({ owner, now, leaseMs: LEASE_MS });
const sentRecord = (rank = 1) => ({ rank, messageId: 'ses-1', sentAt: NOW.toISOString() });

beforeAll(async () => {
  const names = localTableNames(`ledger-${crypto.randomUUID().slice(0, 8)}`);
  await createTables(clients().dynamodb, names);
  table = names[deliveryTable.id]!;
});

describe('grouped claims and records', () => {
  it('answer each caller for its own item when some of a group are already sent or leased', async () => {
    const pk = `reminders#mixed-${crypto.randomUUID()}`;
    const all = keys(pk, 60);
    const a = ledger();
    // Every third item sent before, every third + 1 leased by another dispatcher.
    const sentBefore = all.filter((_, i) => i % 3 === 0);
    const leasedByOther = all.filter((_, i) => i % 3 === 1);
    expect(await Promise.all(sentBefore.map((k) => a.claim(k, 1, lease('earlier'), EXPIRES)))).toEqual(sentBefore.map(() => true));
    expect(await Promise.all(sentBefore.map((k) => a.record(k, 'earlier', sentRecord())))).toEqual(sentBefore.map(() => true));
    expect(await Promise.all(leasedByOther.map((k) => ledger().claim(k, 1, lease('other'), EXPIRES)))).toEqual(leasedByOther.map(() => true));

    // 60 claims at once from one ledger: grouped, answered per item.
    const claimed = await Promise.all(all.map((k) => a.claim(k, 1, lease('me'), EXPIRES)));
    expect(claimed).toEqual(all.map((_, i) => i % 3 === 2));

    // Records: only the holder of the lease records; the others' records are refused.
    const recorded = await Promise.all(all.map((k) => a.record(k, 'me', sentRecord())));
    expect(recorded).toEqual(all.map((_, i) => i % 3 === 2));
    const items = await a.items(pk);
    expect(items.filter((i) => i.sent).map((i) => i.sk)).toEqual(all.filter((_, i) => i % 3 !== 1).map((k) => k.sk));
  });

  it('let two ledgers claiming the same items at once win each exactly once', async () => {
    const pk = `reminders#race-${crypto.randomUUID()}`;
    const all = keys(pk, 80);
    const [a, b] = [ledger(), ledger()];
    // b walks the items in the other order, so their groups overlap partly.
    const [wonA, wonB] = await Promise.all([
      Promise.all(all.map((k) => a.claim(k, 1, lease('a'), EXPIRES))),
      Promise.all([...all].reverse().map((k) => b.claim(k, 1, lease('b'), EXPIRES))).then((r) => r.reverse()),
    ]);
    expect(all.map((_, i) => Number(wonA[i]) + Number(wonB[i]))).toEqual(all.map(() => 1));
  });

  it('take over a lease that ran out, and refuse the record of the owner it was taken from', async () => {
    const [key] = keys(`reminders#lease-${crypto.randomUUID()}`, 1);
    const [dead, next] = [ledger(), ledger()];
    expect(await dead.claim(key!, 1, lease('dead'), EXPIRES)).toBe(true);
    expect(await next.claim(key!, 1, lease('next', new Date(NOW.getTime() + 60_000)), EXPIRES)).toBe(false);
    expect(await next.claim(key!, 1, lease('next', new Date(NOW.getTime() + LEASE_MS)), EXPIRES)).toBe(true);
    expect(await dead.record(key!, 'dead', sentRecord())).toBe(false);
    expect(await next.record(key!, 'next', sentRecord())).toBe(true);
    expect(await next.claim(key!, 1, lease('later', new Date(NOW.getTime() + 2 * LEASE_MS)), EXPIRES)).toBe(false);
  });
});

describe('failures', () => {
  const reader = () => createFailureReader(documentClient(clients().dynamodb), table);
  const note = (seriesId: string, memberId: string, at = NOW) =>
    ({ code: 'not-composed', reason: 'join URL must be an https URL', kind: 'invite', seriesId, memberId, sessionId: 'web', basis: 'b1', at }) as const;

  it("are recorded by the lease's holder, keep what was sent before, count attempts, and are listed by series until a send succeeds", async () => {
    const seriesId = `s-${crypto.randomUUID().slice(0, 8)}`;
    const [key] = keys(`invites#${seriesId}`, 1);
    const a = ledger();
    // Sent once (rank 2), then an update fails twice.
    expect(await a.claim(key!, 2, lease('me'), EXPIRES)).toBe(true);
    expect(await a.record(key!, 'me', { ...sentRecord(2), detail: { method: 'REQUEST', sequence: 1, basis: 1 } })).toBe(true);
    expect(await a.claim(key!, 4, lease('me'), EXPIRES)).toBe(true);
    expect(await a.fail(key!, 'someone-else', note(seriesId, 'm000'), EXPIRES)).toBe(false);
    expect(await a.fail(key!, 'me', note(seriesId, 'm000'), EXPIRES)).toBe(true);
    // The lease is given back: the next tick may claim it at once.
    expect(await a.claim(key!, 4, lease('me', new Date(NOW.getTime() + 1000)), EXPIRES)).toBe(true);
    expect(await a.fail(key!, 'me', note(seriesId, 'm000', new Date(NOW.getTime() + 60_000)), EXPIRES)).toBe(true);

    const [item] = await a.items(key!.pk);
    expect(item!.sent).toMatchObject({ rank: 2, detail: { method: 'REQUEST', sequence: 1 } });
    expect(item!.failure).toMatchObject({ code: 'not-composed', attempts: 2, firstAt: NOW.toISOString(), lastAt: new Date(NOW.getTime() + 60_000).toISOString(), retry: 'after-change' });
    expect((await reader().failuresOf(seriesId)).map((f) => [f.memberId, f.attempts])).toEqual([['m000', 2]]);

    expect(await a.claim(key!, 4, lease('me', new Date(NOW.getTime() + 120_000)), EXPIRES)).toBe(true);
    expect(await a.record(key!, 'me', { ...sentRecord(4), detail: { method: 'REQUEST', sequence: 2, basis: 2 } })).toBe(true);
    expect((await a.items(key!.pk))[0]!.failure).toBeUndefined();
    expect(await reader().failuresOf(seriesId)).toEqual([]);
  });

  it('noted without a claim never touch an item another dispatcher holds', async () => {
    const seriesId = `s-${crypto.randomUUID().slice(0, 8)}`;
    const [held, free] = keys(`invites#${seriesId}`, 2);
    expect(await ledger().claim(held!, 1, lease('other'), EXPIRES)).toBe(true);
    expect(await ledger().note(held!, { ...note(seriesId, 'm000'), code: 'no-address' }, EXPIRES)).toBe(false);
    expect(await ledger().note(free!, { ...note(seriesId, 'm001'), code: 'no-address' }, EXPIRES)).toBe(true);
    expect((await reader().failuresOf(seriesId)).map((f) => [f.memberId, f.code])).toEqual([['m001', 'no-address']]);
    // A noted item has no send record: a claim of any rank may still take it.
    expect(await ledger().claim(free!, 0, lease('me'), EXPIRES)).toBe(true);
  });
});
