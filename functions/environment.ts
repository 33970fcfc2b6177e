/** Reading a handler's environment: a missing variable fails at start with its name. */
export type Environment = Record<string, string | undefined>;

export function requireEnv(env: Environment, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}
