import { Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';

/**
 * Lets a function send raw mail (SES v1 SendRawEmail) as the one verified domain and, when
 * given, with the configuration set that publishes bounces and complaints: SES checks the
 * action on both the identity and the configuration set. Nothing else of SES.
 */
export function grantSendRawEmail(fn: IFunction, mail: { readonly domain: string; readonly configurationSetName?: string | undefined }): void {
  const stack = Stack.of(fn);
  const resources = [stack.formatArn({ service: 'ses', resource: 'identity', resourceName: mail.domain })];
  if (mail.configurationSetName !== undefined) {
    resources.push(stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: mail.configurationSetName }));
  }
  fn.addToRolePolicy(new PolicyStatement({ actions: ['ses:SendRawEmail'], resources }));
}
