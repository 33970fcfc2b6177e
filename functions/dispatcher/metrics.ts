/**
 * What each dispatcher tick tells CloudWatch, as Embedded Metric Format lines in its log
 * (Powertools Metrics): how much mail went out, how much could not be sent, and how many
 * series could not be planned. The undeliverable-mail alarm (infra/stack/alarms.ts) watches
 * the second; organisers see the mail itself at GET /admin/series/{id}/undeliverable.
 */
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { TickReport } from './dispatch.js';

export const METRICS_NAMESPACE = 'Convene';
/** The `service` dimension of the dispatcher's metrics. */
export const DISPATCHER_SERVICE = 'dispatcher';
export const TICK_METRICS = {
  sent: 'MailSent',
  /** Failures recorded in the tick (a held failure is not counted again). */
  undeliverable: 'UndeliverableMail',
  planFailures: 'SeriesNotPlanned',
} as const;

/** Adds a tick's figures to `metrics` (the caller publishes them). */
export function addTickMetrics(metrics: Metrics, report: TickReport): void {
  const undeliverable = Object.values(report.failures).reduce((sum, n) => sum + (n ?? 0), 0);
  metrics.addMetric(TICK_METRICS.sent, MetricUnit.Count, report.outcomes.sent);
  metrics.addMetric(TICK_METRICS.undeliverable, MetricUnit.Count, undeliverable);
  metrics.addMetric(TICK_METRICS.planFailures, MetricUnit.Count, report.planFailures.length);
}
