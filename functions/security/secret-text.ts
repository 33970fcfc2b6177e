/** A secret's value as text, through a Powertools SecretsProvider (kept `maxAge` seconds); undefined when it has none. */
import type { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';

export async function secretText(provider: SecretsProvider, arn: string, maxAge: number): Promise<string | undefined> {
  const value = await provider.get(arn, { maxAge });
  return typeof value === 'string' ? value : value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : undefined;
}
