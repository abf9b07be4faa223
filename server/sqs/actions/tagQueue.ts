import { errors } from "../errors.js";
import { queueOf, type Action } from "./context.js";
import { optionalMap } from "./validate.js";

/** Tags: at most 50 per queue, keys 1–128 characters, values up to 256. Source: SQS developer guide, "Tagging". */
export function checkTags(tags: Record<string, unknown>): Record<string, string> {
  const checked: Record<string, string> = Object.create(null);
  for (const [key, value] of Object.entries(tags)) {
    if (key.length < 1 || key.length > 128) throw errors.invalidParameterValue(`Tag key must be between 1 and 128 characters.`);
    if (String(value).length > 256) throw errors.invalidParameterValue(`Tag value must be at most 256 characters.`);
    checked[key] = String(value);
  }
  return checked;
}

/** TagQueue: adds tags, overwriting a key that exists. */
export const tagQueue: Action = (input, context) => {
  const queue = queueOf(input, context);
  const tags = checkTags(optionalMap(input, "Tags"));
  if (Object.keys(tags).length === 0) throw errors.missingParameter("Tags");
  if (Object.keys({ ...queue.tags, ...tags }).length > 50) throw errors.invalidParameterValue("Too many tags added for queue.");
  queue.tag(tags);
  return {};
};
