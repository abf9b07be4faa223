// The page's side of issue 14, item 4: bodies arrive as previews, the learner asks for a whole one
// in the wire inspector, and a page refused for too many connections says why.
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { hasChromium, openTab, pagesPerTest } from "../helpers/browser.js";
import { playgroundPerTest, type TestPlayground } from "../helpers/playground.js";

const BODY_CHARS = 300_000;

const browser = pagesPerTest();
const playgrounds = playgroundPerTest();

async function open(playground: TestPlayground): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(playground.url);
  await page.waitForSelector("body[data-ready=true]");
  return page;
}

describe.skipIf(!hasChromium())("message bodies in the browser", () => {
  it("shows a preview in the wire inspector and the whole body when the learner asks", async () => {
    const playground = await playgrounds.start();
    const page = await open(playground);
    await page.waitForSelector(".connection:text('live')");
    // Not a task message: the handler fails it, so SQS keeps it (and its body) for a while.
    const sqs = new SQSClient({ region: "us-east-1", endpoint: playground.sqsEndpoint, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
    await sqs.send(new SendMessageCommand({ QueueUrl: playground.queues.queueUrl, MessageBody: "x".repeat(BODY_CHARS) }));
    sqs.destroy();
    await openTab(page, "timeline");
    await page.click(".ev.message-received button");
    await page.waitForSelector(".wire summary:has-text('AmazonSQS.ReceiveMessage')");
    // The test's own SendMessage is on the wire too now (caller other-client): read the trigger's receive.
    await expect(page.locator(".wire details:has(summary:has-text('AmazonSQS.ReceiveMessage')) pre").nth(1).textContent()).resolves.toContain(`… (${BODY_CHARS} characters)`);
    await page.locator(".wire button.full-body").first().click();
    await page.waitForSelector(".wire pre.full-body-text:not([hidden])");
    await expect(page.locator(".wire pre.full-body-text:not([hidden])").first().evaluate((pre) => pre.textContent?.length)).resolves.toBe(BODY_CHARS);
  });

  it("says why when the playground refuses the page for having all the connections it takes", async () => {
    const playground = await playgrounds.start({ MAX_CONNECTIONS: "1", TRIGGER_ENABLED: "false" });
    const first = await open(playground);
    await first.waitForSelector(".connection:text('live')");
    const second = await open(playground);
    await second.waitForSelector(".connection:has-text('not connected')");
    await expect(second.locator(".connection").textContent()).resolves.toContain("already has 1 pages connected (MAX_CONNECTIONS)");
  });
});
