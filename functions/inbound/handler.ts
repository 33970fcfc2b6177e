/**
 * The inbound mail Lambda, invoked by S3 for every object SES receiving stores under
 * `inbound/` of the inbound mail bucket (infra/stack/inbound-mail.ts; locally by s3rver's
 * notifications): takes members' answers from their calendar apps (./take-reply.ts).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { S3Event } from 'aws-lambda';
import { MAIL_FROM_ENV } from '../api/route-table.js';
import { documentClient } from '../adapters/dynamodb-client.js';
import { conveneEventStore } from '../adapters/event-store/index.js';
import { createInboundMailStore, INBOUND_MAIL_BUCKET_ENV } from '../adapters/inbound-mail/inbound-mail-store.js';
import { createMemberDirectory } from '../adapters/members/member-directory.js';
import { recordingsS3Client } from '../adapters/recordings/recording-store.js';
import { createReadModelStore } from '../read-models/read-model-store.js';
import { linkSigningFromEnvironment, type LinkSigning } from '../security/signing-secrets.js';
import { membersTable, readModelTable } from '../tables.js';
import { requireEnv, type Environment } from '../environment.js';
import { REPLY_DOMAIN_ENV, replyAddresses } from './reply-address.js';
import { createInboundMailHandler, type InboundDeps } from './take-reply.js';

/** The handler's dependencies from its environment (the link-signing secrets sign reply addresses too). */
export function inboundFromEnvironment(env: Environment, signing: LinkSigning, log?: InboundDeps['log']): InboundDeps {
  const client = documentClient();
  return {
    store: conveneEventStore(env, client),
    readModels: createReadModelStore(client, requireEnv(env, readModelTable.envVar)),
    members: createMemberDirectory(client, requireEnv(env, membersTable.envVar)),
    mail: createInboundMailStore(recordingsS3Client({}, env), requireEnv(env, INBOUND_MAIL_BUCKET_ENV)),
    replyAddresses: replyAddresses(signing.signer, requireEnv(env, REPLY_DOMAIN_ENV)),
    ourAddresses: [addressOf(requireEnv(env, MAIL_FROM_ENV))],
    ...(log ? { log } : {}),
  };
}

/** The address of a From header value (`Convene <no-reply@convene.example.org>`). */
const addressOf = (from: string) => (/<([^<>]+)>\s*$/.exec(from)?.[1] ?? from).trim().toLowerCase();

const logger = new Logger({ serviceName: 'inbound-mail' });
let cached: { signing: LinkSigning; inbound: ReturnType<typeof createInboundMailHandler> } | undefined;

export const handler = async (event: S3Event) => {
  if (!cached) {
    const signing = linkSigningFromEnvironment(process.env);
    cached = { signing, inbound: createInboundMailHandler(inboundFromEnvironment(process.env, signing, (level, message, detail) => logger[level](message, { ...detail }))) };
  }
  await cached.signing.ready();
  return cached.inbound.handle(event);
};
