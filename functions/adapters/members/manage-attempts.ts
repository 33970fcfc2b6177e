/**
 * Requests for a manage link with an address that is no member's: one small item per address
 * (keyed by the address's SHA-256, never the address), kept a day. Nothing reads them back
 * but an operator looking for abuse; the write exists so that the request for an unknown
 * address costs what the request for a member's does (one read, one write), and its answer
 * takes as long.
 */
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { MEMBER_EXPIRES_AT, MEMBER_PK } from '../../tables.js';
import { normaliseEmail, sha256 } from './member-directory.js';

export interface ManageAttempts {
  note(email: string, at: Date): Promise<void>;
}

const KEEP_SECONDS = 24 * 3600;

export function createManageAttempts(client: DynamoDBDocumentClient, table: string): ManageAttempts {
  return {
    async note(email, at) {
      await client.send(
        new PutCommand({
          TableName: table,
          Item: { [MEMBER_PK]: `manage-attempt#${sha256(normaliseEmail(email))}`, at: at.toISOString(), [MEMBER_EXPIRES_AT]: Math.floor(at.getTime() / 1000) + KEEP_SECONDS },
        }),
      );
    },
  };
}
