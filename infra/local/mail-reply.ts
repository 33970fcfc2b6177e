/**
 * `npm run mail:reply FILE`: drop a raw mail (an .eml file: a calendar app's REPLY, say) under
 * `inbound/` of the local inbound mail bucket, as SES receiving does on AWS. The running
 * `npm start` takes it (its terminal prints what became of it). S3's port: CONVENE_S3_PORT.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { S3Client } from '@aws-sdk/client-s3';
import { createInboundMailStore, INBOUND_PREFIX } from '../../functions/adapters/inbound-mail/inbound-mail-store.js';
import { LOCAL_CREDENTIALS } from './clients.js';
import { INBOUND_MAIL_BUCKET, LOCAL_REGION } from './stack.js';

const file = process.argv[2];
if (!file) {
  console.error('usage: npm run mail:reply FILE   (a raw mail, e.g. a calendar app\'s REPLY as .eml)');
  process.exit(2);
}
const s3 = new S3Client({
  region: LOCAL_REGION,
  endpoint: `http://127.0.0.1:${Number(process.env.CONVENE_S3_PORT ?? 4569)}`,
  credentials: LOCAL_CREDENTIALS,
  forcePathStyle: true,
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
});
const key = `${INBOUND_PREFIX}${new Date().toISOString().replace(/[:.]/g, '')}-${randomUUID()}`;
try {
  await createInboundMailStore(s3, INBOUND_MAIL_BUCKET).put(key, readFileSync(file));
  console.log(`dropped ${file} as ${INBOUND_MAIL_BUCKET}/${key}; npm start's terminal says what became of it`);
} finally {
  s3.destroy();
}
