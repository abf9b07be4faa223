import { errors } from "../errors.js";
import type { Queue } from "../model/queue.js";
import { queueOf, type Action } from "./context.js";
import { optionalList, requireString } from "./validate.js";

interface Statement {
  Sid: string;
  Effect: "Allow";
  Principal: { AWS: string | string[] };
  Action: string | string[];
  Resource: string;
}

/** The queue's Policy attribute as statements (none when it has no policy). */
export function statementsOf(queue: Queue): Statement[] {
  const policy = queue.attributes.Policy;
  return policy ? ((JSON.parse(policy) as { Statement?: Statement[] }).Statement ?? []) : [];
}

/** Writes the statements back as the Policy attribute; no statements removes it, as AWS does. */
export function setStatements(queue: Queue, statements: Statement[]): void {
  const policy = { Version: "2008-10-17", Id: `${queue.arn}/SQSDefaultPolicy`, Statement: statements };
  queue.setAttributes({ Policy: statements.length > 0 ? JSON.stringify(policy) : "" });
}

const one = <T>(list: T[]): T | T[] => (list.length === 1 ? list[0]! : list);

/**
 * AddPermission: a policy statement, named by Label, allowing accounts some actions on the queue.
 * The engine records it (GetQueueAttributes shows the Policy) but, like any local SQS, does not
 * enforce it. Source: AddPermission API reference.
 */
export const addPermission: Action = (input, context) => {
  const queue = queueOf(input, context);
  const label = requireString(input, "Label");
  const accounts = optionalList(input, "AWSAccountIds").map(String);
  const actions = optionalList(input, "Actions").map(String);
  if (accounts.length === 0) throw errors.missingParameter("AWSAccountIds");
  if (actions.length === 0) throw errors.missingParameter("Actions");
  const statements = statementsOf(queue);
  if (statements.some((s) => s.Sid === label)) throw errors.invalidValue(label, "Label", "Already exists.");
  statements.push({
    Sid: label,
    Effect: "Allow",
    Principal: { AWS: one(accounts.map((account) => `arn:aws:iam::${account}:root`)) },
    Action: one(actions.map((action) => `SQS:${action}`)),
    Resource: queue.arn,
  });
  setStatements(queue, statements);
  return {};
};
