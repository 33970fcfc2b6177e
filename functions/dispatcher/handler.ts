/**
 * The dispatcher Lambda, run every minute by an EventBridge schedule (locally by the clock
 * tick of `npm start`): sends the invites, updates, cancellations and reminders that are due.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, ScheduledEvent } from 'aws-lambda';
import type { TickReport } from './dispatch.js';
import { linkSigningFromEnvironment, type LinkSigning } from '../security/signing-secrets.js';
import { dispatcherFromEnvironment } from './environment.js';
import { addTickMetrics, DISPATCHER_SERVICE, METRICS_NAMESPACE } from './metrics.js';

/** Time kept back from the Lambda's limit: no send starts in it, so claims are recorded in time. */
const SAFETY_MS = 20_000;

const logger = new Logger({ serviceName: DISPATCHER_SERVICE });
const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: DISPATCHER_SERVICE });
let signing: LinkSigning | undefined;
let dispatcher: ReturnType<typeof dispatcherFromEnvironment> | undefined;

export const handler = async (_event: ScheduledEvent, context: Context): Promise<TickReport> => {
  // The unsubscribe links' secrets: read from Secrets Manager (SIGNING_SECRET_ARN) on the first
  // tick, then again once older than their maximum age; a tick that cannot read them fails whole.
  signing ??= linkSigningFromEnvironment(process.env, {
    onStaleSecrets: (error) => logger.warn('could not read the link-signing secrets again: signing with the ones read before', error as Error),
  });
  await signing.ready();
  dispatcher ??= dispatcherFromEnvironment(process.env, {}, {
    log: (level, message, detail) => logger[level](message, { ...detail }),
    signer: signing.signer,
  });
  const report = await dispatcher.tick({ now: new Date(), deadline: Date.now() + context.getRemainingTimeInMillis() - SAFETY_MS });
  addTickMetrics(metrics, report);
  metrics.publishStoredMetrics();
  return report;
};
