import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AccountRecovery, CfnUserPoolGroup, Mfa, UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ORGANISERS_GROUP } from '../../functions/api/route-table.js';

/**
 * Who may call the organiser routes: a Cognito user pool that only administrators add users
 * to (no self sign-up), a public client (no secret) signing in with SRP, and the group an
 * organiser's access token must carry (`cognito:groups`). The pool holds people's accounts,
 * so it is retained when the stack is deleted.
 */
export class Organisers extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly group: CfnUserPoolGroup;
  /** The `iss` of the pool's tokens. */
  readonly issuer: string;
  /** Where the pool's signing keys are published. */
  readonly jwksUrl: string;
  /** How long the API client's access tokens are valid: also the API's maximum token age. */
  readonly accessTokenValidity = Duration.hours(1);

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      signInCaseSensitive: false,
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Organisers change what thousands of members see and receive: a password is not enough.
      // An authenticator app (TOTP), not SMS (no SMS role, cost or SIM-swap risk).
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason: 'The Essentials tier suffices: a handful of organisers sign in with SRP and a required TOTP second factor; the Plus tier (threat protection) is billed per active user for little gain here.',
    });
    this.client = this.userPool.addClient('ApiClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      // Sign-in through SRP only: no hosted UI, so none of the default OAuth flows and callbacks.
      disableOAuth: true,
      preventUserExistenceErrors: true,
      accessTokenValidity: this.accessTokenValidity,
      idTokenValidity: Duration.hours(1),
    });
    this.group = new CfnUserPoolGroup(this, 'OrganisersGroup', {
      userPoolId: this.userPool.userPoolId,
      groupName: ORGANISERS_GROUP,
      description: 'May create and change series and sessions through the API',
    });
    this.issuer = `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`;
    this.jwksUrl = `${this.issuer}/.well-known/jwks.json`;
  }
}
