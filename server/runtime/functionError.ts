import type { FunctionErrorDetail } from "../../common/events.js";

/**
 * The function failed in a way it (or its runtime) reported: an error it threw, a process that
 * exited, a handler that could not be loaded, a throttle. The trigger publishes `detail` with the
 * failed invocation, so the page can point at the line.
 */
export class FunctionError extends Error {
  override readonly name = "FunctionError";
  constructor(readonly detail: FunctionErrorDetail) {
    // A plain Error's type says nothing the message does not: "task 7 does not exist", not "Error: task 7 …".
    const type = detail.errorType === "Error" ? "" : `${detail.errorType}: `;
    super(`${type}${detail.errorMessage}${detail.line === undefined ? "" : ` (line ${detail.line})`}`);
  }
}
