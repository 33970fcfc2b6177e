/** How errors become problem documents: the statuses a client acts on. */
import { describe, expect, it } from 'vitest';
import { MailSendError, MailThrottledError } from '../../functions/adapters/mailer/mailer.js';
import { toProblem } from '../../functions/api/problems.js';
import { TooMuchContentionError, VersionMismatchError } from '../../functions/commands/run-command.js';
import { InvariantViolation } from '../../events/shared/errors.js';

describe('problem documents', () => {
  it('mail that can go later is a 503 with Retry-After; mail refused for the address is a 422', () => {
    expect(toProblem(new MailThrottledError('Throttling', 'slow down'))).toMatchObject({ problem: { status: 503, type: '/problems/mail-unavailable' }, headers: { 'Retry-After': '60' } });
    expect(toProblem(new MailSendError('InternalFailure', 'oops', true)).problem.status).toBe(503);
    expect(toProblem(new MailSendError('MessageRejected', 'no', false)).problem).toMatchObject({ status: 422, type: '/problems/mail-refused' });
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
});
