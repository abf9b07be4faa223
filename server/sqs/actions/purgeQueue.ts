import { queueOf, type Action } from "./context.js";

/** PurgeQueue: deletes every message, in flight and delayed too; one purge per queue per 60 s. */
export const purgeQueue: Action = (input, context) => {
  queueOf(input, context).purge({ consumer: context.consumer });
  return {};
};
