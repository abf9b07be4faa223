// What a request to the SQS port could change, read through the real server over HTTP as any
// client would (ListQueues, GetQueueAttributes, the developer endpoint, GET /tasks), never by
// receiving: so "nothing changed" means queues, their attributes, their messages and the tasks.

/** One JSON-protocol call to the SQS port, as the SDK sends it (no Origin). */
export async function sqsCall(sqsEndpoint: string, action: string, input: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${sqsEndpoint}/`, {
    method: "POST",
    headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": `AmazonSQS.${action}` },
    body: JSON.stringify(input),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

export interface SqsWorld {
  queues: { url: string; attributes: Record<string, unknown>; messages: unknown[] }[];
  tasks: unknown[];
}

/** Every queue with all its attributes and every message (visible, in flight, delayed), and every task. */
export async function readWorld(playgroundUrl: string, sqsEndpoint: string): Promise<SqsWorld> {
  const listed = await sqsCall(sqsEndpoint, "ListQueues", {});
  const urls = ((listed.json.QueueUrls as string[] | undefined) ?? []).slice().sort();
  const queues = [];
  for (const url of urls) {
    const { json: attributes } = await sqsCall(sqsEndpoint, "GetQueueAttributes", { QueueUrl: url, AttributeNames: ["All"] });
    const listing = await fetch(`${sqsEndpoint}/_aws/sqs/messages?QueueUrl=${encodeURIComponent(url)}&ShowInvisible=true&ShowDelayed=true`);
    const { Messages = [] } = (await listing.json()) as { Messages?: unknown[] };
    queues.push({ url, attributes: (attributes.Attributes as Record<string, unknown>) ?? {}, messages: Messages });
  }
  const tasks = (await (await fetch(`${playgroundUrl}/tasks`)).json()) as unknown[];
  return { queues, tasks };
}
