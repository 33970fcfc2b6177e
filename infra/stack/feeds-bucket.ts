import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

/**
 * The feeds bucket: every public and personal feed as an object (functions/feeds/feed-objects.ts),
 * written by the feed renderer and read only by CloudFront through origin access control
 * (./edge.ts). Private (all public access blocked, bucket owner enforced), SSE-S3, TLS only.
 * Not versioned and destroyed with the stack: every object is rendered again from the read
 * models, and an old version of a feed must not outlive a rotated token.
 */
export function createFeedsBucket(scope: Construct, id: string): Bucket {
  const bucket = new Bucket(scope, id, {
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    encryption: BucketEncryption.S3_MANAGED,
    removalPolicy: RemovalPolicy.DESTROY,
    autoDeleteObjects: false,
  });
  Validations.of(bucket).acknowledge({
    id: 'AwsSolutions-S1',
    reason: 'Every read comes through CloudFront (origin access control), every write from the feed renderer, whose logs name each feed it writes; server access logs would add a line per calendar poll (millions a month) about files rendered again from the read models at any time.',
  });
  return bucket;
}
