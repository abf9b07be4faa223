/**
 * Receipt handles: opaque to clients, but ours carry the queue's ARN and the message id so that a
 * handle can be checked (a malformed one is `ReceiptHandleIsInvalid`) and a stale one still names
 * its message. The random part makes each receive's handle different, as on AWS.
 */
export function receiptHandleFor(queueArn: string, messageId: string, nonce: string): string {
  return Buffer.from(`${nonce} ${queueArn} ${messageId}`, "utf8").toString("base64");
}

/** The queue ARN and message id inside a handle, or undefined if it is not one of ours. */
export function parseReceiptHandle(handle: string): { queueArn: string; messageId: string } | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(handle)) return undefined;
  const parts = Buffer.from(handle, "base64").toString("utf8").split(" ");
  if (parts.length !== 3 || !parts[1]!.startsWith("arn:aws:sqs:")) return undefined;
  return { queueArn: parts[1]!, messageId: parts[2]! };
}
