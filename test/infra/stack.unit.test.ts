import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConveneStack } from '../../infra/stack/convene-stack.js';
import {
  EVENT_STREAM_ID,
  EVENT_VERSION,
  IDEMPOTENCY_EXPIRES_AT,
  IDEMPOTENCY_KEY,
  STREAM_CATEGORY,
  STREAMS_BY_CATEGORY_INDEX,
  eventTable,
  idempotencyTable,
  tables,
} from '../../functions/tables.js';
import { testApp } from './test-stack.js';

const TABLE = 'AWS::DynamoDB::GlobalTable';

describe('ConveneStack', () => {
  let stack: ConveneStack;
  let template: Template;

  beforeAll(() => {
    // The built-in WASM CloudFormation validation costs ~8 s per synth here (and only warns
    // unless opted in); `cdk synth` keeps it. No bundling: STACK trap 7.
    const app = testApp({ builtinCloudFormationValidation: false, context: { 'aws:cdk:bundling-stacks': [], publicBaseUrl: 'https://convene.example.org', mailFrom: 'Convene <no-reply@convene.example.org>' } });
    stack = new ConveneStack(app, 'Test');
    template = Template.fromStack(stack);
  });

  function logicalId(id: string): string {
    return stack.getLogicalId(stack.table(tables.find((t) => t.id === id)!).node.defaultChild as never);
  }

  it('creates exactly one table per definition in functions/tables.ts', () => {
    template.resourceCountIs(TABLE, tables.length);
    template.resourceCountIs('AWS::DynamoDB::Table', 0);
    expect(Object.keys(stack.tables).sort()).toEqual(tables.map((t) => t.id).sort());
  });

  it('keys the event table by stream id and version, streams NEW_IMAGE, and protects it', () => {
    const resources = template.findResources(TABLE);
    const events = resources[logicalId(eventTable.id)];
    expect(events).toBeDefined();
    expect(events).toMatchObject({
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: EVENT_STREAM_ID, KeyType: 'HASH' },
          { AttributeName: EVENT_VERSION, KeyType: 'RANGE' },
        ],
        StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
        Replicas: [
          {
            DeletionProtectionEnabled: true,
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          },
        ],
      },
    });
    expect(events!.Properties.AttributeDefinitions).toEqual(
      expect.arrayContaining([
        { AttributeName: EVENT_STREAM_ID, AttributeType: 'S' },
        { AttributeName: EVENT_VERSION, AttributeType: 'N' },
      ]),
    );
  });

  it('expires idempotency records through TTL on expiresAt and does not retain them', () => {
    const resources = template.findResources(TABLE);
    const idempotency = resources[logicalId(idempotencyTable.id)];
    expect(idempotency).toMatchObject({
      DeletionPolicy: 'Delete',
      Properties: {
        KeySchema: [{ AttributeName: IDEMPOTENCY_KEY, KeyType: 'HASH' }],
        TimeToLiveSpecification: { AttributeName: IDEMPOTENCY_EXPIRES_AT, Enabled: true },
      },
    });
    expect(idempotency!.Properties.StreamSpecification).toBeUndefined();
    template.hasResourceProperties(TABLE, {
      TimeToLiveSpecification: Match.objectLike({ AttributeName: IDEMPOTENCY_EXPIRES_AT }),
    });
  });

  it('indexes the event table sparsely by stream category: streamsByCategory, keys only', () => {
    const events = template.findResources(TABLE)[logicalId(eventTable.id)]!;
    expect(events.Properties.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: STREAMS_BY_CATEGORY_INDEX,
        KeySchema: [
          { AttributeName: STREAM_CATEGORY, KeyType: 'HASH' },
          { AttributeName: EVENT_STREAM_ID, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
    ]);
    // Every key attribute of the table and the index, each exactly once.
    expect(events.Properties.AttributeDefinitions).toEqual([
      { AttributeName: EVENT_STREAM_ID, AttributeType: 'S' },
      { AttributeName: EVENT_VERSION, AttributeType: 'N' },
      { AttributeName: STREAM_CATEGORY, AttributeType: 'S' },
    ]);
    // The replica in the stack's region carries the index too (GlobalTable).
    expect(events.Properties.Replicas[0].GlobalSecondaryIndexes).toEqual([{ IndexName: STREAMS_BY_CATEGORY_INDEX }]);
  });

  it.each(tables.map((t) => [t.id, t] as const))('builds the indexes of %s from its definition, and no others', (id, definition) => {
    const resource = template.findResources(TABLE)[logicalId(id)]!;
    const indexes = (definition.indexes ?? []).map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
        ...(index.sortKey ? [{ AttributeName: index.sortKey.name, KeyType: 'RANGE' }] : []),
      ],
      Projection: { ProjectionType: index.projection },
    }));
    expect(resource.Properties.GlobalSecondaryIndexes ?? []).toEqual(indexes);
  });
});

describe('operator settings', () => {
  it('refuses to synthesise without the public base URL, saying how to give it', async () => {
    const { ConveneStack } = await import('../../infra/stack/convene-stack.js');
    const app = testApp({ builtinCloudFormationValidation: false, context: { 'aws:cdk:bundling-stacks': [] } });
    expect(() => new ConveneStack(app, 'NoUrl')).toThrow(/publicBaseUrl.*-c publicBaseUrl=/);
    const http = testApp({ builtinCloudFormationValidation: false, context: { 'aws:cdk:bundling-stacks': [], publicBaseUrl: 'http://plain.example.org' } });
    expect(() => new ConveneStack(http, 'PlainHttp')).toThrow(/https/);
  });
});
