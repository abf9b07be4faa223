import type { FunctionErrorDetail } from "../../common/events.js";

/** Error types left out of the message, because the message says it already. */
const QUIET_TYPES = new Set(["Error", "Sandbox.Timedout"]);

/**
 * The function failed in a way it (or its runtime) reported: an error it threw, a process that
 * exited, a handler that could not be loaded, a throttle. The trigger publishes `detail` with the
 * failed invocation, so the page can point at the line.
 */
export class FunctionError extends Error {
  override readonly name = "FunctionError";
  constructor(readonly detail: FunctionErrorDetail) {
    // A plain Error's type says nothing the message does not: "task 7 does not exist", not "Error: task 7 …".
    // Nor does a timeout's: "Task timed out after 3.00 seconds", as the trigger's own clock words it
    // when it runs out first (server/trigger/lambdaContext.ts), so one timeout reads one way.
    const type = QUIET_TYPES.has(detail.errorType) ? "" : `${detail.errorType}: `;
    super(`${type}${detail.errorMessage}${detail.line === undefined ? "" : ` (line ${detail.line})`}`);
  }
}
