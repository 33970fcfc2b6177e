/**
 * The link-signing secrets at run time (issue 15, item 8): on Lambda the environment holds
 * only the secret's ARN; the secrets are read from Secrets Manager (Powertools parameters) on
 * first use, kept for a few minutes, and read again after that, so a rotation reaches warm
 * functions without a deploy. Locally (`npm start`, the tests) SIGNING_SECRETS still holds
 * them. Secrets Manager is a client whose only middleware answers from a map: nothing leaves
 * the process.
 */
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { LambdaEvent } from 'hono/aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { apiHandlerFromEnvironment } from '../../functions/api/environment.js';
import { AUTH_ENV, MAIL_FROM_ENV, PUBLIC_BASE_URL_ENV, SIGNING_SECRET_ARN_ENV, SIGNING_SECRETS_ENV } from '../../functions/api/route-table.js';
import { createTokenSigner } from '../../functions/security/signed-token.js';
import { linkSigningFromEnvironment, SIGNING_SECRETS_MAX_AGE_SECONDS } from '../../functions/security/signing-secrets.js';
import { localTableNames, tableEnvironment } from '../../functions/tables.js';

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:LinkSigningSecret-AbCdEf';
const FIRST = 'f'.repeat(48);
const SECOND = 's'.repeat(48);
const Payload = z.object({ a: z.literal('confirm'), m: z.string() });

/** A Secrets Manager that answers GetSecretValue from `values`, counting the calls; `failing` makes it throw. */
function stubSecretsManager(values: Record<string, string>) {
  const client = new SecretsManagerClient({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' } });
  const state = { calls: 0, failing: false };
  client.middlewareStack.add(
    () => async (args) => {
      state.calls++;
      const id = (args.input as { SecretId: string }).SecretId;
      if (state.failing) throw Object.assign(new Error('Secrets Manager is unreachable'), { name: 'TimeoutError' });
      if (!(id in values)) throw Object.assign(new Error(`Secrets Manager can't find the specified secret.`), { name: 'ResourceNotFoundException' });
      return { output: { $metadata: {}, ARN: id, SecretString: values[id] }, response: {} } as never;
    },
    { step: 'initialize', name: 'stubSecretsManager' },
  );
  return { provider: new SecretsProvider({ awsSdkV3Client: client }), state, values };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('link signing from the environment', () => {
  it('with only the ARN: reads nothing until first use, then signs with the secret from Secrets Manager, and reads it once for many uses', async () => {
    const sm = stubSecretsManager({ [ARN]: FIRST });
    const signing = linkSigningFromEnvironment({ [SIGNING_SECRET_ARN_ENV]: ARN }, { secrets: sm.provider });
    expect(sm.state.calls).toBe(0);
    expect(() => signing.signer.sign({ a: 'confirm', m: 'm1' }, new Date(Date.now() + 60_000))).toThrow(/not read yet/);
    await signing.ready();
    const token = signing.signer.sign({ a: 'confirm', m: 'm1' }, new Date(Date.now() + 60_000));
    expect(createTokenSigner([FIRST]).verify(token, Payload, new Date())).toEqual({ a: 'confirm', m: 'm1' });
    for (let i = 0; i < 20; i++) await signing.ready();
    expect(sm.state.calls).toBe(1);
  });

  it(`reads the secret again after ${SIGNING_SECRETS_MAX_AGE_SECONDS} s: a rotation ("new,old") signs with the new one and still verifies the old`, async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const sm = stubSecretsManager({ [ARN]: FIRST });
    const signing = linkSigningFromEnvironment({ [SIGNING_SECRET_ARN_ENV]: ARN }, { secrets: sm.provider });
    await signing.ready();
    const old = signing.signer.sign({ a: 'confirm', m: 'm1' }, new Date(Date.now() + 3600_000));
    sm.values[ARN] = `${SECOND},${FIRST}`;
    vi.setSystemTime(Date.now() + (SIGNING_SECRETS_MAX_AGE_SECONDS - 10) * 1000);
    await signing.ready();
    expect(sm.state.calls).toBe(1);
    vi.setSystemTime(Date.now() + 20_000);
    await signing.ready();
    expect(sm.state.calls).toBe(2);
    const fresh = signing.signer.sign({ a: 'confirm', m: 'm2' }, new Date(Date.now() + 3600_000));
    expect(createTokenSigner([SECOND]).verify(fresh, Payload, new Date()).m).toBe('m2');
    expect(signing.signer.verify(old, Payload, new Date()).m).toBe('m1');
  });

  it('keeps the secrets it has when a later read fails (and says so), but a first read that fails is an error', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const sm = stubSecretsManager({ [ARN]: FIRST });
    const problems: unknown[] = [];
    const signing = linkSigningFromEnvironment({ [SIGNING_SECRET_ARN_ENV]: ARN }, { secrets: sm.provider, onStaleSecrets: (error) => problems.push(error) });
    sm.state.failing = true;
    await expect(signing.ready()).rejects.toThrow();
    sm.state.failing = false;
    await signing.ready();
    const token = signing.signer.sign({ a: 'confirm', m: 'm1' }, new Date(Date.now() + 3600_000 * 24));
    sm.state.failing = true;
    vi.setSystemTime(Date.now() + (SIGNING_SECRETS_MAX_AGE_SECONDS + 1) * 1000);
    await signing.ready();
    expect(problems).toHaveLength(1);
    expect(signing.signer.verify(token, Payload, new Date()).m).toBe('m1');
  });

  it('refuses a secret shorter than 32 characters, as SIGNING_SECRETS does', async () => {
    const sm = stubSecretsManager({ [ARN]: 'short' });
    const signing = linkSigningFromEnvironment({ [SIGNING_SECRET_ARN_ENV]: ARN }, { secrets: sm.provider });
    await expect(signing.ready()).rejects.toThrow(/32 characters/);
  });

  it('locally: SIGNING_SECRETS as before, no Secrets Manager; without either variable it does not start', async () => {
    const sm = stubSecretsManager({});
    const signing = linkSigningFromEnvironment({ [SIGNING_SECRETS_ENV]: `${FIRST},${SECOND}` }, { secrets: sm.provider });
    await signing.ready();
    const token = signing.signer.sign({ a: 'confirm', m: 'm1' }, new Date(Date.now() + 60_000));
    expect(createTokenSigner([FIRST]).verify(token, Payload, new Date()).m).toBe('m1');
    expect(sm.state.calls).toBe(0);
    expect(() => linkSigningFromEnvironment({})).toThrow(SIGNING_SECRET_ARN_ENV);
  });
});

describe('the API Lambda handler', () => {
  /** The environment CDK gives the API function (infra/stack/api-function.ts): the secret's ARN, not the secret. */
  const environment = {
    ...tableEnvironment(localTableNames('unit')),
    [PUBLIC_BASE_URL_ENV]: 'https://convene.example.org',
    [MAIL_FROM_ENV]: 'Convene <no-reply@convene.example.org>',
    [AUTH_ENV.issuer]: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_unit',
    [AUTH_ENV.jwksUrl]: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_unit/.well-known/jwks.json',
    [AUTH_ENV.clientId]: 'unit-client',
    [AUTH_ENV.maxAgeSeconds]: '3600',
    [SIGNING_SECRET_ARN_ENV]: ARN,
  };
  const get = (path: string, query: string): LambdaEvent => ({
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: query,
    headers: { host: 'convene.example.org' },
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'convene.example.org',
      domainPrefix: 'convene',
      http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'unit' },
      requestId: crypto.randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: '01/Dec/2026:10:00:00 +0000',
      timeEpoch: Date.now(),
    },
  }) satisfies APIGatewayProxyEventV2 as unknown as LambdaEvent;

  it('starts without reading the secret, then verifies links with the one from Secrets Manager, read once', async () => {
    const sm = stubSecretsManager({ [ARN]: FIRST });
    const handler = apiHandlerFromEnvironment(environment, { secrets: sm.provider });
    expect(sm.state.calls).toBe(0);
    const expired = createTokenSigner([FIRST]).sign({ a: 'confirm', m: 'm1', s: 's1', r: 'r1' }, new Date(Date.now() - 1000));
    const foreign = createTokenSigner(['x'.repeat(48)]).sign({ a: 'confirm', m: 'm1', s: 's1', r: 'r1' }, new Date(Date.now() + 60_000));
    // Ours but expired: 410 (the signature was checked with the secret read); another secret's: 404.
    const ours = await handler(get('/registrations/confirm', `token=${expired}`), {} as never);
    const theirs = await handler(get('/registrations/confirm', `token=${foreign}`), {} as never);
    expect([ours.statusCode, theirs.statusCode]).toEqual([410, 404]);
    expect(sm.state.calls).toBe(1);
  });

  it('answers 503 with Retry-After while the secret cannot be read, and serves once it can', async () => {
    const sm = stubSecretsManager({ [ARN]: FIRST });
    sm.state.failing = true;
    const quiet = { error: () => {}, warn: () => {} } as never;
    const handler = apiHandlerFromEnvironment(environment, { secrets: sm.provider, logger: quiet });
    const expired = createTokenSigner([FIRST]).sign({ a: 'confirm', m: 'm1', s: 's1', r: 'r1' }, new Date(Date.now() - 1000));
    const down = await handler(get('/registrations/confirm', `token=${expired}`), {} as never);
    expect([down.statusCode, down.headers?.['Retry-After'], JSON.parse(down.body).type]).toEqual([503, '5', '/problems/secrets-unavailable']);
    sm.state.failing = false;
    expect((await handler(get('/registrations/confirm', `token=${expired}`), {} as never)).statusCode).toBe(410);
  });
});
