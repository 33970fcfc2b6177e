import { Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { tables } from '../tables.js';
import type { TableDefinition, TableNames } from '../tables.js';
import { createTable } from './tables.js';

export class ConveneStack extends Stack {
  /** Every table of infra/tables.ts, keyed by definition id, for grants and environments. */
  readonly tables: Readonly<Record<string, TableV2>>;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.tables = Object.fromEntries(tables.map((definition) => [definition.id, createTable(this, definition)]));
  }

  /** The table built from a definition. */
  table(definition: TableDefinition): TableV2 {
    const table = this.tables[definition.id];
    if (!table) throw new Error(`no table ${definition.id} in ${this.stackName}`);
    return table;
  }

  /** Table names (tokens) by definition id, for tableEnvironment(). */
  tableNames(): TableNames {
    return Object.fromEntries(Object.entries(this.tables).map(([id, table]) => [id, table.tableName]));
  }
}
