/**
 * The member directory on DynamoDB Local: an address belongs to exactly one member however
 * many registrations for it race, and a member record never exists without the claim of its
 * address (they are written in one transaction).
 */
import { GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '../../functions/adapters/dynamodb-client.js';
import { createMemberDirectory, normaliseEmail, sha256 } from '../../functions/adapters/members/member-directory.js';
import { createTables } from '../../infra/local/create-tables.js';
import { localTableNames, MEMBER_PK, membersTable } from '../../functions/tables.js';
import { clients } from '../support/local.js';

let table: string;
const doc = () => documentClient(clients().dynamodb);
const directory = () => createMemberDirectory(doc(), table);
const NOW = new Date('2027-03-01T12:00:00Z');

beforeAll(async () => {
  const names = localTableNames(`members-${crypto.randomUUID().slice(0, 8)}`);
  await createTables(clients().dynamodb, names);
  table = names[membersTable.id]!;
});

async function allItems() {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await doc().send(new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

describe('findOrCreate', () => {
  it('gives 30 simultaneous registrations of one address (any case, any spaces) one member, created once', async () => {
    const address = `Ada.${crypto.randomUUID().slice(0, 8)}@Example.org`;
    const spellings = Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? address : i % 3 === 1 ? ` ${address.toLowerCase()} ` : address.toUpperCase()));
    // Each from its own directory (its own client): as from 30 Lambda instances.
    const results = await Promise.all(spellings.map((email, i) => directory().findOrCreate(email, `Ada ${i}`, NOW)));

    const ids = new Set(results.map((r) => r.member.memberId));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const memberId = [...ids][0]!;
    const items = await allItems();
    const records = items.filter((item) => String(item[MEMBER_PK]).startsWith('member#') && normaliseEmail(String(item.email)) === normaliseEmail(address));
    expect(records.map((r) => r.memberId)).toEqual([memberId]);
    // Everyone was answered with the member that was stored, name included.
    expect(new Set(results.map((r) => r.member.name))).toEqual(new Set([records[0]!.name]));
    expect(await directory().memberIdForEmail(address.toUpperCase())).toBe(memberId);
  });

  it('leaves no member record without its address claim after a storm of distinct and repeated addresses', async () => {
    const tag = crypto.randomUUID().slice(0, 8);
    const emails = Array.from({ length: 60 }, (_, i) => `m${i % 20}-${tag}@example.org`);
    await Promise.all(emails.map((email) => directory().findOrCreate(email, 'M', NOW)));

    const items = (await allItems()).filter((item) => String(item.email ?? '').includes(tag) || String(item[MEMBER_PK]).startsWith('email#'));
    const records = items.filter((item) => String(item[MEMBER_PK]).startsWith('member#'));
    const claims = new Map(items.filter((item) => String(item[MEMBER_PK]).startsWith('email#')).map((item) => [String(item[MEMBER_PK]), String(item.memberId)]));
    expect(records).toHaveLength(20);
    for (const record of records) expect(claims.get(`email#${sha256(normaliseEmail(String(record.email)))}`), String(record.email)).toBe(record.memberId);
  });

  it('answers an address it knows with its member, as first registered, and creates nothing', async () => {
    const email = `known-${crypto.randomUUID().slice(0, 8)}@example.org`;
    const first = await directory().findOrCreate(email, 'First Name', NOW);
    const again = await directory().findOrCreate(email.toUpperCase(), 'Other Name', new Date('2027-04-01T00:00:00Z'));
    expect(first.created).toBe(true);
    expect(again).toEqual({ created: false, member: first.member });
  });

  it('mends a claim whose member record is missing: the address gets that member id back, with a record', async () => {
    const email = `dangling-${crypto.randomUUID().slice(0, 8)}@example.org`;
    const orphanId = crypto.randomUUID();
    await doc().send(new PutCommand({ TableName: table, Item: { [MEMBER_PK]: `email#${sha256(normaliseEmail(email))}`, memberId: orphanId } }));

    const { member, created } = await directory().findOrCreate(email, 'Mended', NOW);
    expect({ memberId: member.memberId, created }).toEqual({ memberId: orphanId, created: true });
    const record = (await doc().send(new GetCommand({ TableName: table, Key: { [MEMBER_PK]: `member#${orphanId}` }, ConsistentRead: true }))).Item;
    expect(record).toMatchObject({ memberId: orphanId, email, name: 'Mended' });
  });
});
