// The learner's way to the task database from a Node.js function, as a deployed function reaches
// a service: HTTP to the playground's internal task routes, with the token the playground put in
// the function's environment. It is lambda/playgroundLink.ts, bundled beside the handler as
// `playground.js` when a function is deployed (server/runtime/taskRoot.ts):
//   tasks.claim(taskId, owner, leaseMs) -> {outcome: "claimed"|"done"|"busy"|"failed"|"missing", task}
//   tasks.complete(taskId, owner) -> true when this owner still held the claim
//   tasks.release(taskId, owner, reason) -> the task waits for its message's next delivery
// and the playground's payment service, a side effect outside the database (failure lab 1):
//   charge(taskId) -> that order's charges so far; every call charges again (one `charge.made`
//   event), however often the same order was charged before; each takes the chaos panel's
//   delay per record (the payment service is that slow)
// A refused or failed call throws PlaygroundLinkError.
import { FUNCTION_ENV } from "../../common/internalApi.js";
import { PlaygroundLink } from "../playgroundLink.js";

export { PlaygroundLinkError } from "../playgroundLink.js";

export const tasks = new PlaygroundLink(process.env[FUNCTION_ENV.url] ?? "", process.env[FUNCTION_ENV.token] ?? "");

/** Charges the task's order: every call is one more charge, as a real payment provider's would be. */
export const charge = (taskId: number): Promise<number> => tasks.charge(taskId);
