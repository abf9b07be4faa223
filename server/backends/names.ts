// Names the playground gives itself on the wire and in AWS, in one place.
export const API_USER_AGENT = "queue-flow-playground/api";
/** The function's own SQS client (embedded mode): its ChangeMessageVisibility calls when it backs a failed record off. */
export const FUNCTION_USER_AGENT = "queue-flow-playground/function";
/** Reads queue attributes in LocalStack/AWS mode; never receives. */
export const OBSERVER_USER_AGENT = "queue-flow-playground/observer";
export const FUNCTION_NAME = "process-task";
/** The function's memory size (MB): Lambda's default, and the limit of each execution environment. */
export const FUNCTION_MEMORY_MB = 128;
/** AWS mode prefixes every resource it creates, and `npm run teardown` removes only those. */
export const AWS_PREFIX = "queue-flow-playground-";

/** The deployed function's name: prefixed in AWS, the original name elsewhere. */
export function functionNameFor(config: { mode: string }): string {
  return config.mode === "aws" ? `${AWS_PREFIX}${FUNCTION_NAME}` : FUNCTION_NAME;
}
