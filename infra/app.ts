import { App } from 'aws-cdk-lib';
import { ConveneStack } from './stack/convene-stack.js';
import { addNagChecks } from './stack/nag.js';
import { EdgeSecurityStack } from './stack/edge-security-stack.js';

// Environment-agnostic: synthesises offline, without credentials.
const app = new App();
new ConveneStack(app, 'Convene', {
  description: 'Convene: event-sourced scheduler for webinars, lecture series and dialogues',
});
// The distribution's web ACL for a Convene stack outside us-east-1 (infra/stack/edge.ts): only on request,
// so that `cdk deploy` of the one stack stays as it was.
if (app.node.tryGetContext('edgeSecurityStack') === 'true' || app.node.tryGetContext('edgeSecurityStack') === true) {
  new EdgeSecurityStack(app, 'ConveneEdgeSecurity', {
    env: { region: 'us-east-1', ...(process.env.CDK_DEFAULT_ACCOUNT ? { account: process.env.CDK_DEFAULT_ACCOUNT } : {}) },
    description: "Convene: the CloudFront distribution's web ACL (CLOUDFRONT scope exists only in us-east-1)",
  });
}
// cdk-nag's AWS Solutions rules: a finding fails the synth (and so `cdk deploy`).
addNagChecks(app);
app.synth();
