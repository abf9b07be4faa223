/** AWS's error code of an SDK error (its name), or "UnknownError". */
export function awsCode(error: unknown): string {
  const raw = error as { name?: string; Code?: string } | undefined;
  return raw?.Code ?? raw?.name ?? "UnknownError";
}

/** Creating, updating or removing an AWS resource failed: which call, and AWS's own code and words. */
export class ProvisioningError extends Error {
  override readonly name = "ProvisioningError";
  readonly code: string;

  constructor(operation: string, cause: unknown) {
    const code = awsCode(cause);
    const message = (cause as { message?: string } | undefined)?.message ?? String(cause);
    super(`${operation} failed: ${code}: ${message}`, { cause });
    this.code = code;
  }
}

/** The backend could not be set up at start-up: what failed, and what to check. */
export class BackendError extends Error {
  override readonly name = "BackendError";
}
