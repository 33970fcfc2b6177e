/** SDK errors are matched by name: instanceof fails across duplicated SDK copies in a bundle. */
export function isAwsError(error: unknown, ...names: string[]): boolean {
  return error instanceof Error && names.includes(error.name);
}
