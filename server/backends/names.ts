// Names the playground gives itself on the wire and in AWS, in one place.
export const TRIGGER_USER_AGENT = "queue-flow-playground/lambda-trigger";
export const API_USER_AGENT = "queue-flow-playground/api";
export const FUNCTION_NAME = "process-task";
/** AWS mode prefixes every resource it creates, and `npm run teardown` removes only those. */
export const AWS_PREFIX = "queue-flow-playground-";
