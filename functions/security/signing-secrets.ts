/**
 * The secrets that sign links in mail, as a handler gets them. On Lambda the environment holds
 * only the secret's ARN (SIGNING_SECRET_ARN), never the secret: the value is read from Secrets
 * Manager (Powertools parameters) on first use, kept for SIGNING_SECRETS_MAX_AGE_SECONDS and
 * read again after that, so a rotation reaches warm functions within minutes, without a
 * deploy. Locally (`npm start`, the tests, the benches) SIGNING_SECRETS holds them, as before.
 *
 * Either way the value is one or more secrets separated by commas, each at least 32
 * characters: the first signs, every one verifies (rotate by putting `new,old`).
 */
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SIGNING_SECRET_ARN_ENV, SIGNING_SECRETS_ENV } from '../api/route-table.js';
import type { Environment } from '../environment.js';
import { createTokenSigner, type TokenSigner } from './signed-token.js';
import { secretText } from './secret-text.js';

/** How long secrets read from Secrets Manager are used before they are read again. */
export const SIGNING_SECRETS_MAX_AGE_SECONDS = 300;
/** After a failed read, how long the secrets read before are used before trying again. */
const RETRY_AFTER_FAILED_READ_MS = 30_000;

export interface LinkSigning {
  /** Signs and verifies with the secrets read last; from Secrets Manager, only once `ready()` has resolved. */
  readonly signer: TokenSigner;
  /** Reads the secrets if they were never read or are older than their maximum age; call it before each use. */
  ready(): Promise<void>;
}

export interface LinkSigningOptions {
  /** Default: a Powertools SecretsProvider of its own (its SDK client made on first use). */
  readonly secrets?: SecretsProvider;
  /** A read failed after an earlier one succeeded: the secrets read before are used meanwhile. */
  readonly onStaleSecrets?: (error: unknown) => void;
}

/** One or more secrets, comma-separated. */
export const parseSigningSecrets = (value: string): string[] => value.split(',').map((secret) => secret.trim());

/** Link signing as the environment describes it: SIGNING_SECRET_ARN (Lambda) or SIGNING_SECRETS (local). */
export function linkSigningFromEnvironment(env: Environment, options: LinkSigningOptions = {}): LinkSigning {
  const arn = env[SIGNING_SECRET_ARN_ENV];
  if (arn) return secretsManagerLinkSigning(arn, options);
  const secrets = env[SIGNING_SECRETS_ENV];
  if (secrets) {
    const signer = createTokenSigner(parseSigningSecrets(secrets));
    return { signer, ready: async () => {} };
  }
  throw new Error(`environment variable ${SIGNING_SECRET_ARN_ENV} (or, locally, ${SIGNING_SECRETS_ENV}) is not set`);
}

function secretsManagerLinkSigning(arn: string, options: LinkSigningOptions): LinkSigning {
  let provider = options.secrets;
  let current: { value: string; signer: TokenSigner } | undefined;
  let retryAt = 0;
  let reading: Promise<void> | undefined;

  const loaded = (): TokenSigner => {
    if (!current) throw new Error('the link-signing secrets were not read yet: await ready() before signing or verifying');
    return current.signer;
  };
  const read = async (): Promise<void> => {
    try {
      provider ??= new SecretsProvider();
      const text = await secretText(provider, arn, SIGNING_SECRETS_MAX_AGE_SECONDS);
      if (text === undefined) throw new Error(`the link-signing secret ${arn} has no value`);
      if (text !== current?.value) current = { value: text, signer: createTokenSigner(parseSigningSecrets(text)) };
    } catch (error) {
      if (!current) throw error;
      retryAt = Date.now() + RETRY_AFTER_FAILED_READ_MS;
      options.onStaleSecrets?.(error);
    }
  };

  return {
    signer: {
      sign: (payload, expiresAt) => loaded().sign(payload, expiresAt),
      verify: (token, schema, now) => loaded().verify(token, schema, now),
      macs: (data) => loaded().macs(data),
    },
    async ready() {
      if (current && Date.now() < retryAt) return;
      // The provider answers from its cache while the value is fresh; one read at a time.
      reading ??= read().finally(() => (reading = undefined));
      await reading;
    },
  };
}
