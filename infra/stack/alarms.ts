import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, Metric, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DISPATCHER_SERVICE, METRICS_NAMESPACE, TICK_METRICS } from '../../functions/dispatcher/metrics.js';

/** The address alarm notifications are mailed to: `-c alarmEmail=ops@convene.example.org` or cdk.json. Optional. */
export const ALARM_EMAIL_CONTEXT = 'alarmEmail';

/** The `alarmEmail` context, or undefined when it is not set; anything else than one email address is an error. */
export function alarmEmailContext(scope: Construct): string | undefined {
  const example = 'ops@convene.example.org';
  const value: unknown = scope.node.tryGetContext(ALARM_EMAIL_CONTEXT);
  if (value === undefined) return undefined;
  const address = typeof value === 'string' ? value.trim() : undefined;
  if (!address || !/^[^\s@<>(),;:"]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/.test(address)) {
    throw new Error(
      `CDK context "${ALARM_EMAIL_CONTEXT}" must be one email address such as ${example}, not ${JSON.stringify(value)} ` +
        `(pass it as \`npx cdk deploy -c ${ALARM_EMAIL_CONTEXT}=${example}\`, or leave it out to subscribe nobody)`,
    );
  }
  return address;
}

/** SES reviews an account whose bounce rate reaches 5% (and may pause sending at 10%). */
export const SES_BOUNCE_RATE_THRESHOLD = 0.05;
/** SES reviews an account whose complaint rate reaches 0.1% (and may pause sending at 0.5%). */
export const SES_COMPLAINT_RATE_THRESHOLD = 0.001;
/** 5xx responses of the HTTP API in five minutes that page an operator. */
export const API_5XX_THRESHOLD = 5;

export interface OperationalAlarmsProps {
  /** The functions to watch for errors and throttles, by a short name used in ids and descriptions (e.g. `projector`). */
  readonly functions: Readonly<Record<string, IFunction>>;
  /** The projector's dead-letter queue: anything in it is a stream record the projector gave up on. */
  readonly projectorDeadLetterQueue: IQueue;
  /** Where the intake sets aside registration requests it gave up on. */
  readonly intakeDeadLetterQueue: IQueue;
  /** Where the feed renderer sets aside read-model and directory stream records it gave up on. */
  readonly feedRendererDeadLetterQueue: IQueue;
  /** The HTTP API whose 5xx responses are watched. */
  readonly api: IHttpApi;
  /** Subscribed to the topic by email when given (see alarmEmailContext). */
  readonly alarmEmail?: string;
}

/**
 * CloudWatch alarms for operators, all notifying one SNS topic: errors and throttles of every
 * function, the projector's dead-letter queue, mail the dispatcher could not send and series it
 * could not plan, the account's SES reputation (bounce and complaint rates) and 5xx responses
 * of the HTTP API. Missing data is not breaching: a
 * function that did not run, or a queue that is empty and idle, is fine.
 *
 * The topic is encrypted with a customer managed key and refuses publishes without TLS.
 * CDK's SnsAction grants nothing, so both are opened to CloudWatch here: without the key
 * statement CloudWatch's publish fails with a KMS AccessDenied, and the enforceSSL topic policy
 * replaces SNS's default policy (which let the account publish), so CloudWatch needs an allow
 * there too. Both only for alarms of this account. The failure would be silent: the alarm still
 * goes to ALARM, only its history shows the failed action.
 */
export class OperationalAlarms extends Construct {
  /** Where every alarm (and its return to OK) is sent. */
  readonly topic: Topic;
  /** Encrypts the topic; CloudWatch of this account may use it. */
  readonly key: Key;
  /** Every alarm, in the order created. */
  readonly alarms: readonly Alarm[];
  /** The subscribed address, if `alarmEmail` was given. */
  readonly alarmEmail?: string;

  constructor(scope: Construct, id: string, props: OperationalAlarmsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const cloudWatch = new ServicePrincipal('cloudwatch.amazonaws.com');
    const fromOurAlarms = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
    };

    this.key = new Key(this, 'TopicKey', {
      description: 'Encrypts the Convene operational alarms topic',
      enableKeyRotation: true,
    });
    // CloudWatch calls KMS itself when it publishes to an encrypted topic.
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [cloudWatch],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );
    this.topic = new Topic(this, 'Topic', {
      displayName: 'Convene alarms',
      masterKey: this.key,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [cloudWatch],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: fromOurAlarms,
      }),
    );
    if (props.alarmEmail !== undefined) {
      this.alarmEmail = props.alarmEmail;
      this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    }

    const alarms: Alarm[] = [];
    const action = new SnsAction(this.topic);
    const alarm = (alarmId: string, metric: IMetric, threshold: number, alarmDescription: string) => {
      const created = new Alarm(this, alarmId, {
        metric,
        threshold,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription,
      });
      created.addAlarmAction(action);
      created.addOkAction(action);
      alarms.push(created);
      return created;
    };
    const fiveMinutes = Duration.minutes(5);

    for (const [name, fn] of Object.entries(props.functions)) {
      const idName = pascalCase(name);
      alarm(
        `${idName}Errors`,
        fn.metricErrors({ period: fiveMinutes, statistic: Stats.SUM }),
        1,
        `The Convene ${name} function failed at least once in 5 minutes (an uncaught error, a timeout or running out of memory). ` +
          `Look at its log group for the error; a failed invocation may be retried, or its input lost if retries run out.`,
      );
      alarm(
        `${idName}Throttles`,
        fn.metricThrottles({ period: fiveMinutes, statistic: Stats.SUM }),
        1,
        `Lambda throttled the Convene ${name} function at least once in 5 minutes: the account's concurrency limit was reached. ` +
          `Check the account's ConcurrentExecutions and which function is using it; ask for a higher Lambda concurrency quota if the load is real.`,
      );
    }

    alarm(
      'ProjectorDeadLetters',
      props.projectorDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: fiveMinutes, statistic: Stats.MAXIMUM }),
      1,
      'The Convene projector gave up on at least one event-table stream record (10 retries or a day old): the read models are missing that event. ' +
        "Each message points to the record's shard and sequence numbers; find the cause in the projector's logs, fix it, rebuild the affected read models " +
        'and delete the messages. The alarm stays on while the queue holds messages.',
    );

    alarm(
      'IntakeDeadLetters',
      props.intakeDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: fiveMinutes, statistic: Stats.MAXIMUM }),
      1,
      'The Convene intake gave up on at least one registration request (10 retries or a day old): a member who asked to register got no mail. ' +
        "Each message points to the intake table's stream record; the request's item stays in the intake table for a day after it was made. Find the cause in " +
        "the intake's logs, fix it, and put the item again (a new request id) or ask the member to register again; then delete the messages.",
    );

    alarm(
      'FeedRendererDeadLetters',
      props.feedRendererDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: fiveMinutes, statistic: Stats.MAXIMUM }),
      1,
      'The Convene feed renderer gave up on at least one read-model or directory stream record (10 retries or a day old): a feed in the feeds bucket ' +
        "may be older than its read models, or a rotated token's object may still be there. Find the cause in the renderer's logs, fix it, and render the " +
        'named feeds again (any change to the series or member does); then delete the messages.',
    );

    alarm(
      'UndeliverableMail',
      dispatcherMetric(TICK_METRICS.undeliverable),
      1,
      'The Convene dispatcher could not send at least one mail in 5 minutes (no mail could be made of it, SES refused it or could not be reached, ' +
        'the member has no usable address, or its delivery record cannot be read). Organisers see each one with its reason at ' +
        'GET /admin/series/{seriesId}/undeliverable; the dispatcher log says which series. Other mail keeps going.',
    );
    alarm(
      'SeriesNotPlanned',
      dispatcherMetric(TICK_METRICS.planFailures),
      1,
      "The Convene dispatcher could not plan a series' mail in 5 minutes (one of its read models does not fit): nothing of that series is sent until it can. " +
        "The dispatcher log names the stream and the error; rebuilding the read models (or fixing the projection) clears it. Other series' mail keeps going.",
    );

    alarm(
      'SesBounceRate',
      sesReputationMetric('Reputation.BounceRate'),
      SES_BOUNCE_RATE_THRESHOLD,
      `The SES bounce rate of this account and region reached ${percent(SES_BOUNCE_RATE_THRESHOLD)}: SES puts the account under review at 5% and may pause sending at 10%. ` +
        'Check that bounced addresses are being suppressed (the ses-feedback function) and look for a bad list or address import in the SES reputation dashboard.',
    );
    alarm(
      'SesComplaintRate',
      sesReputationMetric('Reputation.ComplaintRate'),
      SES_COMPLAINT_RATE_THRESHOLD,
      `The SES complaint rate of this account and region reached ${percent(SES_COMPLAINT_RATE_THRESHOLD)}: SES puts the account under review at 0.1% and may pause sending at 0.5%. ` +
        'Check that complaining members are unsubscribed (the ses-feedback function) and who is being mailed what.',
    );

    alarm(
      'Api5xx',
      props.api.metricServerError({ period: fiveMinutes, statistic: Stats.SUM }),
      API_5XX_THRESHOLD,
      `The Convene HTTP API answered ${API_5XX_THRESHOLD} or more requests with a 5xx in 5 minutes (errors or timeouts of the API function, or of API Gateway). ` +
        "Look at the API function's logs and its Errors alarm.",
    );

    this.alarms = alarms;
  }
}

/** A count the dispatcher publishes each tick (functions/dispatcher/metrics.ts), summed over 5 minutes. */
function dispatcherMetric(metricName: string): Metric {
  return new Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: { service: DISPATCHER_SERVICE }, statistic: Stats.SUM, period: Duration.minutes(5) });
}

/** SES publishes reputation per account and region, without dimensions; the rate is a fraction (0.05 = 5%). */
function sesReputationMetric(metricName: string): Metric {
  return new Metric({ namespace: 'AWS/SES', metricName, statistic: Stats.MAXIMUM, period: Duration.hours(1) });
}

function pascalCase(name: string): string {
  return name.replace(/(^|[-_\s]+)([a-z0-9])/gi, (_, __, c: string) => c.toUpperCase());
}

function percent(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(6))}%`;
}
