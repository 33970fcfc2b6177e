import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, ProjectionType, StreamViewType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { Attribute, GlobalSecondaryIndexPropsV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import type { IndexDefinition, KeyDefinition, TableDefinition } from '../../functions/tables.js';

/**
 * Maps one definition of functions/tables.ts to a TableV2 (AWS::DynamoDB::GlobalTable), on demand.
 * The system of record gets point-in-time recovery, deletion protection and is retained;
 * other tables are destroyed with the stack. Global secondary indexes come from the
 * definition's `indexes`. Names are left to CloudFormation: handlers learn them through the
 * definition's envVar.
 */
export function createTable(scope: Construct, definition: TableDefinition): TableV2 {
  const protect = definition.systemOfRecord;
  return new TableV2(scope, definition.id, {
    partitionKey: attribute(definition.partitionKey),
    ...(definition.sortKey ? { sortKey: attribute(definition.sortKey) } : {}),
    billing: Billing.onDemand(),
    ...(definition.stream ? { dynamoStream: StreamViewType[definition.stream] } : {}),
    ...(definition.indexes?.length ? { globalSecondaryIndexes: definition.indexes.map(globalSecondaryIndex) } : {}),
    ...(definition.timeToLiveAttribute ? { timeToLiveAttribute: definition.timeToLiveAttribute } : {}),
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: protect },
    deletionProtection: protect,
    removalPolicy: protect ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
}

function attribute(key: KeyDefinition): Attribute {
  return { name: key.name, type: key.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER };
}

function globalSecondaryIndex(index: IndexDefinition): GlobalSecondaryIndexPropsV2 {
  return {
    indexName: index.name,
    partitionKey: attribute(index.partitionKey),
    ...(index.sortKey ? { sortKey: attribute(index.sortKey) } : {}),
    projectionType: ProjectionType[index.projection],
  };
}
