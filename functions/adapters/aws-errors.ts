/** SDK errors are matched by name: instanceof fails across duplicated SDK copies in a bundle. */
export function isAwsError(error: unknown, ...names: string[]): boolean {
  return error instanceof Error && names.includes(error.name);
}

/** An S3 object (or bucket) that is not there: 404, however the command names it (HeadObject's `NotFound`, GetObject's `NoSuchKey`). */
export function isMissingObject(error: unknown): boolean {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404 || isAwsError(error, 'NotFound', 'NoSuchKey');
}
