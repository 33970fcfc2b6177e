/**
 * Group commit (functions/adapters/deliveries/group-commit.ts), which the delivery ledger uses to
 * send concurrent claims and records as one transaction: each caller gets its own answer, calls
 * made while batches are in flight wait for the next batch, an item never shares a batch with
 * another of the same key, and a failed batch fails only its own callers.
 */
import { describe, expect, it } from 'vitest';
import { groupCommit } from '../../functions/adapters/deliveries/group-commit.js';

/** A batch function whose calls are held until released, recording what each batch held. */
function heldBatches() {
  const batches: string[][] = [];
  const release: (() => void)[] = [];
  const many = (items: readonly string[]) => {
    batches.push([...items]);
    return new Promise<string[]>((resolve) => release.push(() => resolve(items.map((i) => `ok:${i}`))));
  };
  return { batches, release, many };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('groupCommit', () => {
  it('sends calls of one turn together and answers each with its own result', async () => {
    const { batches, release, many } = heldBatches();
    const call = groupCommit(many, { maxBatch: 10, inFlight: 1, key: (i) => i });
    const answers = Promise.all(['a', 'b', 'c'].map(call));
    await tick();
    expect(batches).toEqual([['a', 'b', 'c']]);
    release[0]!();
    expect(await answers).toEqual(['ok:a', 'ok:b', 'ok:c']);
  });

  it('holds later calls while the batches in flight run, then sends them as one, up to maxBatch', async () => {
    const { batches, release, many } = heldBatches();
    const call = groupCommit(many, { maxBatch: 3, inFlight: 1, key: (i) => i });
    const first = call('a');
    await tick();
    const later = ['b', 'c', 'd', 'e'].map(call);
    await tick();
    expect(batches).toEqual([['a']]);
    release[0]!();
    await first;
    await tick();
    expect(batches).toEqual([['a'], ['b', 'c', 'd']]);
    release[1]!();
    await tick();
    expect(batches).toEqual([['a'], ['b', 'c', 'd'], ['e']]);
    release[2]!();
    expect(await Promise.all(later)).toEqual(['ok:b', 'ok:c', 'ok:d', 'ok:e']);
  });

  it('never puts two items of one key in a batch', async () => {
    const { batches, release, many } = heldBatches();
    const call = groupCommit(many, { maxBatch: 10, inFlight: 2, key: (i: string) => i.split('#')[0]! });
    const answers = Promise.all(['k1#1', 'k2', 'k1#2', 'k3'].map(call));
    await tick();
    expect(batches).toEqual([['k1#1', 'k2', 'k3'], ['k1#2']]);
    release.forEach((r) => r());
    expect(await answers).toEqual(['ok:k1#1', 'ok:k2', 'ok:k1#2', 'ok:k3']);
  });

  it('fails only the callers of a batch that failed', async () => {
    let calls = 0;
    const call = groupCommit(
      async (items: readonly string[]) => {
        if (calls++ === 0) throw new Error('DynamoDB unreachable');
        return items.map((i) => `ok:${i}`);
      },
      { maxBatch: 10, inFlight: 1, key: (i) => i },
    );
    const failed = Promise.allSettled(['a', 'b'].map(call));
    await tick();
    const after = call('c');
    expect((await failed).map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await after).toBe('ok:c');
  });
});
