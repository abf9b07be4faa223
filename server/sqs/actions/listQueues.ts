import { errors } from "../errors.js";
import { queueUrl, type Action } from "./context.js";
import { optionalInteger, optionalString } from "./validate.js";

/**
 * ListQueues: queues whose name starts with QueueNamePrefix, in name order; with MaxResults
 * (1–1000) a page at a time, NextToken naming where the next page starts. Without MaxResults at
 * most 1000 and no token. The token is, as AWS's, the base64 of the last URL returned.
 * Source: ListQueues API reference.
 */
export const listQueues: Action = (input, context) => {
  const prefix = optionalString(input, "QueueNamePrefix") ?? "";
  const max = optionalInteger(input, "MaxResults", 1, 1000, "Must be between 1 and 1000, if provided.");
  const token = optionalString(input, "NextToken");
  const after = token === undefined ? "" : decodeToken(token);
  const queues = context.engine
    .list(context.region)
    .filter((queue) => queue.name.startsWith(prefix) && queue.name > after)
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const page = queues.slice(0, max ?? 1000).map((queue) => queue.name);
  const urls = queues.slice(0, page.length).map((queue) => queueUrl(context, queue));
  return {
    ...(urls.length > 0 ? { QueueUrls: urls } : {}),
    ...(max !== undefined && queues.length > page.length ? { NextToken: Buffer.from(urls.at(-1)!).toString("base64") } : {}),
  };
};

function decodeToken(token: string): string {
  const name = Buffer.from(token, "base64").toString("utf8").split("/").pop() ?? "";
  if (!/^[\w.-]+$/.test(name)) throw errors.invalidParameterValue("Invalid NextToken value.");
  return name;
}
