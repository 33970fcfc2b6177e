/**
 * An Idempotency-Key belongs to the organiser who sent it (issue 15, item 7). The key used to
 * be stored as `${sub}:${key}`, so organiser `a:x` with key `k` and organiser `a` with key
 * `x:k` shared one record: the second got the first one's series (a replay), or a 422 that
 * told them the key was taken. Now the record is keyed by a hash of the (organiser, key)
 * pair: no pair of organisers and keys meet, and the stored key names neither.
 */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { IDEMPOTENCY_KEY, idempotencyTable } from '../../functions/tables.js';
import { useTestApi } from '../support/api.js';
import { clients } from '../support/local.js';
import { careRequest } from '../support/seed-requests.js';

const api = useTestApi();

/** Two organisers whose `${sub}:${key}` spell the same string: `${a}:x:k`. */
async function collidingOrganisers() {
  const a = `alpha-${crypto.randomUUID().slice(0, 8)}`;
  return {
    a: { sub: a, token: await api.token({ sub: a }) },
    ax: { sub: `${a}:x`, token: await api.token({ sub: `${a}:x` }) },
  };
}

const create = (token: string, key: string, body: unknown = careRequest) =>
  api.request('POST', '/admin/series', { token, body, headers: { 'idempotency-key': key } });

async function storedKeys(): Promise<string[]> {
  const keys: string[] = [];
  let ExclusiveStartKey: Record<string, any> | undefined;
  do {
    const page = await clients().dynamodb.send(new ScanCommand({ TableName: api.names[idempotencyTable.id], ConsistentRead: true, ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}) }));
    keys.push(...(page.Items ?? []).map((item) => item[IDEMPOTENCY_KEY]!.S!));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return keys;
}

describe('Idempotency-Key scope', () => {
  it('organiser "a:x" with key "k" does not replay organiser "a"\'s key "x:k" (same body)', async () => {
    const { a, ax } = await collidingOrganisers();
    const first = await create(a.token, 'x:k');
    expect(first.status).toBe(201);
    const before = await api.eventCount();
    const theirs = await create(ax.token, 'k');
    expect([theirs.status, theirs.headers.get('idempotent-replayed')]).toEqual([201, null]);
    expect(theirs.body.id).not.toBe(first.body.id);
    expect(await api.eventCount()).toBeGreaterThan(before);
    // Each still replays their own.
    const again = await create(a.token, 'x:k');
    expect([again.status, again.headers.get('idempotent-replayed'), again.body.id]).toEqual([201, 'true', first.body.id]);
    const theirsAgain = await create(ax.token, 'k');
    expect([theirsAgain.status, theirsAgain.headers.get('idempotent-replayed'), theirsAgain.body.id]).toEqual([201, 'true', theirs.body.id]);
  });

  it('nor is told that the key is taken when the body differs (no 422 across organisers)', async () => {
    const { a, ax } = await collidingOrganisers();
    expect((await create(a.token, 'x:k')).status).toBe(201);
    const other = { ...careRequest, title: { en: 'Another series', es: 'Otra serie' } };
    const theirs = await create(ax.token, 'k', other);
    expect([theirs.status, theirs.body.type]).toEqual([201, undefined]);
    expect(theirs.body.title.en).toBe('Another series');
  });

  it('stores the key as a hash: neither the organiser nor the key is in the record, and a reused key\'s 422 names only the key sent', async () => {
    const { a } = await collidingOrganisers();
    const key = `mine-${crypto.randomUUID()}`;
    expect((await create(a.token, key)).status).toBe(201);
    const keys = await storedKeys();
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((k) => k.includes(a.sub) || k.includes(key))).toEqual([]);
    const reused = await create(a.token, key, { ...careRequest, title: { en: 'Changed', es: 'Cambiado' } });
    expect([reused.status, reused.body.type]).toEqual([422, '/problems/idempotency-key-reused']);
    expect(reused.body.detail).toContain(key);
    expect(reused.body.detail).not.toContain(a.sub);
  });
});
