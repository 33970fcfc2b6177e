import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

/**
 * Where a bucket's S3 server access logs go (who fetched or put which object, when, from
 * where): private, encrypted, TLS only, retained with the stack, each log kept a year.
 * `logsOf` names the bucket it serves, for cdk-nag's acknowledgement.
 */
export function createAccessLogsBucket(scope: Construct, id: string, logsOf: string): Bucket {
  const accessLogs = new Bucket(scope, id, {
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    encryption: BucketEncryption.S3_MANAGED,
    removalPolicy: RemovalPolicy.RETAIN,
    lifecycleRules: [{ id: 'ExpireAccessLogs', expiration: Duration.days(365) }],
  });
  Validations.of(accessLogs).acknowledge({
    id: 'AwsSolutions-S1',
    reason: `This bucket holds the ${logsOf}'s server access logs; logging it too would log the logging.`,
  });
  return accessLogs;
}
