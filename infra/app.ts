import { App } from 'aws-cdk-lib';
import { ConveneStack } from './stack/convene-stack.js';

// Environment-agnostic: synthesises offline, without credentials.
const app = new App();
new ConveneStack(app, 'Convene', {
  description: 'Convene: event-sourced scheduler for webinars, lecture series and dialogues',
});
app.synth();
