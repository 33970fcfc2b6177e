import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { createEdgeWebAcl } from './edge-web-acl.js';

/**
 * The distribution's web ACL on its own, for a Convene stack deployed outside us-east-1:
 * CLOUDFRONT-scope web ACLs exist only there. `npx cdk deploy ConveneEdgeSecurity -c
 * edgeSecurityStack=true ...` (the app pins it to us-east-1), then deploy Convene with
 * `-c edgeWebAclArn=<its WebAclArn output>`.
 */
export class EdgeSecurityStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    const acl = createEdgeWebAcl(this, 'WebAcl');
    new CfnOutput(this, 'WebAclArn', { value: acl.attrArn, description: 'Pass as -c edgeWebAclArn=... to the Convene stack' });
  }
}
