import { errors } from "../errors.js";
import { setStatements, statementsOf } from "./addPermission.js";
import { queueOf, type Action } from "./context.js";
import { requireString } from "./validate.js";

/** RemovePermission: drops the policy statement AddPermission made under Label. */
export const removePermission: Action = (input, context) => {
  const queue = queueOf(input, context);
  const label = requireString(input, "Label");
  const statements = statementsOf(queue);
  if (!statements.some((s) => s.Sid === label)) throw errors.invalidValue(label, "Label", "can't find label.");
  setStatements(queue, statements.filter((s) => s.Sid !== label));
  return {};
};
