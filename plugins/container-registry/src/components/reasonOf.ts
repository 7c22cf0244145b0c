/** The backend's own reason when there is one, not "Request failed with 403". */
export function reasonOf(error: unknown): string {
  const cause = (error as { cause?: { message?: string } })?.cause;
  return cause?.message ?? (error as Error)?.message ?? String(error);
}

/** The HTTP status of a failed call, when it was one. */
export function statusOf(error: unknown): number | undefined {
  return (error as { statusCode?: number })?.statusCode;
}
