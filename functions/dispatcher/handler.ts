/**
 * The dispatcher Lambda, run every minute by an EventBridge schedule (locally by the clock
 * tick of `npm start`): sends the invites, updates, cancellations and reminders that are due.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, ScheduledEvent } from 'aws-lambda';
import type { TickReport } from './dispatch.js';
import { dispatcherFromEnvironment } from './environment.js';
import { addTickMetrics, DISPATCHER_SERVICE, METRICS_NAMESPACE } from './metrics.js';

/** Time kept back from the Lambda's limit: no send starts in it, so claims are recorded in time. */
const SAFETY_MS = 20_000;

const logger = new Logger({ serviceName: DISPATCHER_SERVICE });
const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: DISPATCHER_SERVICE });
let dispatcher: ReturnType<typeof dispatcherFromEnvironment> | undefined;

export const handler = async (_event: ScheduledEvent, context: Context): Promise<TickReport> => {
  dispatcher ??= dispatcherFromEnvironment(process.env, {}, {
    log: (level, message, detail) => logger[level](message, { ...detail }),
  });
  const report = await dispatcher.tick({ now: new Date(), deadline: Date.now() + context.getRemainingTimeInMillis() - SAFETY_MS });
  addTickMetrics(metrics, report);
  metrics.publishStoredMetrics();
  return report;
};
