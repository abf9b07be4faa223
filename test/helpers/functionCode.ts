import { execFileSync } from "node:child_process";
import type { TestPlayground } from "./playground.js";

/** Whether python3 runs here (Python function tests are skipped without it, except in CI). */
export function hasPython(): boolean {
  try {
    execFileSync("python3", ["-c", "pass"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** `PUT /api/function/code` as the learner's page sends it (its token in Authorization). */
export function deploy(playground: TestPlayground, language: "nodejs" | "python", code: string, token: string = playground.terminalToken): Promise<Response> {
  return fetch(`${playground.url}/api/function/code`, {
    method: "PUT",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ language, code }),
  });
}

/** Deploys and fails the test unless the deploy was taken. */
export async function deployed(playground: TestPlayground, language: "nodejs" | "python", code: string): Promise<{ version: number; unchanged?: true }> {
  const response = await deploy(playground, language, code);
  if (response.status !== 200) throw new Error(`deploy answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as { version: number; unchanged?: true };
}

/** A Node handler that completes every task through the playground helper, as the lesson's does; `before` runs first for each record (with `task` and `title` in scope). */
export const nodeHandler = (before = "") => `import { tasks } from "./playground.js";
export const handler = async (event, context) => {
  for (const record of event.Records) {
    const { task_id: task, title } = JSON.parse(record.body);
    ${before}
    const owner = context.awsRequestId + "/" + record.messageId;
    const claim = await tasks.claim(task, owner, context.getRemainingTimeInMillis());
    if (claim.outcome === "claimed") await tasks.complete(task, owner);
  }
  return { batchItemFailures: [] };
};
`;

/** The same in Python; `before` are lines run first for each record (with `task` and `title` in scope). */
export const pythonHandler = (...before: string[]) => `import json
import sys
import time
from playground import tasks


def lambda_handler(event, context):
    for record in event["Records"]:
        message = json.loads(record["body"])
        task, title = message["task_id"], message["title"]
        ${before.join("\n        ") || "pass"}
        owner = context.aws_request_id + "/" + record["messageId"]
        claim = tasks.claim(task, owner, context.get_remaining_time_in_millis())
        if claim["outcome"] == "claimed":
            tasks.complete(task, owner)
    return {"batchItemFailures": []}
`;
