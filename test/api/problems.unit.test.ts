/** How errors become problem documents: the statuses a client acts on. */
import { describe, expect, it } from 'vitest';
import { MailSendError, MailThrottledError } from '../../functions/adapters/mailer/mailer.js';
import { toProblem } from '../../functions/api/problems.js';
import { TooMuchContentionError, VersionMismatchError } from '../../functions/commands/command-handler.js';
import { InvariantViolation } from '../../events/shared/errors.js';
import { DynamoDBClient, GetItemCommand, ProvisionedThroughputExceededException, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { freePort } from '../../infra/local/free-port.js';

describe('problem documents', () => {
  it('mail that can go later is a 503 with Retry-After; mail refused for the address is a 422', () => {
    expect(toProblem(new MailThrottledError('Throttling', 'slow down'))).toMatchObject({ problem: { status: 503, type: '/problems/mail-unavailable' }, headers: { 'Retry-After': '60' } });
    expect(toProblem(new MailSendError('InternalFailure', 'oops', true)).problem.status).toBe(503);
    expect(toProblem(new MailSendError('MessageRejected', 'no', false, { scope: 'message' })).problem).toMatchObject({ status: 422, type: '/problems/mail-refused' });
    // A refusal of every send (the account is paused) is nobody's address: later, not 422.
    expect(toProblem(new MailSendError('AccountSendingPausedException', 'paused', false, { scope: 'sender' })).problem).toMatchObject({ status: 503, type: '/problems/mail-unavailable' });
  });

  it('maps conflicts, contention and broken rules, and hides unknown errors', () => {
    expect(toProblem(new VersionMismatchError('series-x', 3, 4)).problem.status).toBe(412);
    expect(toProblem(new TooMuchContentionError('series-x', 8))).toMatchObject({ problem: { status: 503 }, headers: { 'Retry-After': '1' } });
    expect(toProblem(new InvariantViolation('session-cancelled', 'cancelled', 'sessionId')).problem).toMatchObject({
      status: 422,
      errors: [{ field: 'sessionId', pointer: '/sessionId' }],
    });
    const hidden = toProblem(new Error('connection string with a password'));
    expect(hidden.problem.status).toBe(500);
    expect(JSON.stringify(hidden.problem)).not.toContain('password');
  });

  it('a data store that is down or throttling is a 503 with Retry-After that names no detail; a refused request is not', async () => {
    // A real failure: the SDK's own error when nothing listens where DynamoDB should be.
    const port = await freePort();
    const client = new DynamoDBClient({ region: 'us-east-1', endpoint: `http://127.0.0.1:${port}`, credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
    const refused = await client.send(new GetItemCommand({ TableName: 'events', Key: { pk: { S: 'x' } } })).catch((error: unknown) => error);
    client.destroy();
    expect(toProblem(refused)).toMatchObject({ problem: { status: 503, type: '/problems/storage-unavailable' }, headers: { 'Retry-After': '5' } });
    expect(JSON.stringify(toProblem(refused).problem)).not.toContain(String(port));
    const throttled = new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} });
    expect(toProblem(throttled).problem.status).toBe(503);
    expect(toProblem(new Error('wrapped', { cause: throttled })).problem.status).toBe(503);
    // The store refusing the request itself (a bad key, a failed condition) is not "unavailable".
    expect(toProblem(new ResourceNotFoundException({ message: 'no table', $metadata: {} })).problem.status).toBe(500);
  });
});
