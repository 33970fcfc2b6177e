import { App } from 'aws-cdk-lib';
import { ConveneStack } from './stack/convene-stack.js';
import { addNagChecks } from './stack/nag.js';

// Environment-agnostic: synthesises offline, without credentials.
const app = new App();
new ConveneStack(app, 'Convene', {
  description: 'Convene: event-sourced scheduler for webinars, lecture series and dialogues',
});
// cdk-nag's AWS Solutions rules: a finding fails the synth (and so `cdk deploy`).
addNagChecks(app);
app.synth();
