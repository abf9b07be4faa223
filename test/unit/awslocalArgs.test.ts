import { describe, expect, it } from "vitest";
import { parseCommandLine, UsageError, type Invocation } from "../../server/terminal/awslocal/args.js";
import { DEFAULT_ENDPOINT, endpointFor } from "../../server/terminal/awslocal/endpoint.js";

const QUEUE_URL = "http://localhost:4566/000000000000/interview-queue";
const parse = (line: string) => parseCommandLine(line ? line.split(" ") : []);
const invocation = (line: string) => parse(line) as Invocation;

describe("reading the aws CLI's command line", () => {
  it("takes every word up to the next flag as a list, as the CLI does for --attribute-names", () => {
    expect(invocation(`sqs receive-message --queue-url ${QUEUE_URL} --attribute-names All ApproximateReceiveCount --max-number-of-messages 10`).values).toEqual({
      "queue-url": QUEUE_URL,
      "attribute-names": ["All", "ApproximateReceiveCount"],
      "max-number-of-messages": 10,
    });
  });

  it("accepts global options anywhere and --flag=value spellings", () => {
    expect(invocation(`--endpoint-url http://localhost:9 sqs get-queue-url --queue-name=q --output json --region eu-west-1`).values).toEqual({
      "endpoint-url": "http://localhost:9",
      "queue-name": "q",
      output: "json",
      region: "eu-west-1",
    });
  });

  it("keeps a message body that contains spaces and equals signs whole", () => {
    expect(parseCommandLine(["sqs", "send-message", "--queue-url", QUEUE_URL, "--message-body", '{"a": "b=c d"}'])).toMatchObject({ values: { "message-body": '{"a": "b=c d"}' } });
  });

  it.each([
    ["an unknown operation", "sqs create-queue --queue-name q", /Invalid choice 'create-queue'/],
    ["another service", "s3 ls", /Invalid choice: 's3'/],
    ["no command at all", "", /required: command/],
    ["a flag the operation does not take", `sqs purge-queue --queue-url ${QUEUE_URL} --message-body x`, /Unknown options: --message-body/],
    ["an unknown flag", `sqs purge-queue --queue-url ${QUEUE_URL} --bogus`, /Unknown options: --bogus/],
    ["a missing required flag", `sqs send-message --queue-url ${QUEUE_URL}`, /required: --message-body/],
    ["a flag without its value", `sqs send-message --message-body --queue-url ${QUEUE_URL}`, /--message-body: expected one argument/],
    ["a number that is not one", `sqs receive-message --queue-url ${QUEUE_URL} --wait-time-seconds soon`, /--wait-time-seconds: invalid int value: 'soon'/],
    ["an output other than json", "sqs list-queues --output table", /prints json only/],
    ["an endpoint that is not a URL", "sqs list-queues --endpoint-url localhost:4566", /Bad value for --endpoint-url/],
  ])("refuses %s with a usage error", (_name, line, message) => {
    expect(() => parse(line)).toThrow(UsageError);
    expect(() => parse(line)).toThrow(message);
  });

  it.each(["help", "sqs help", "--help", "sqs send-message -h"])("answers %s with help", (line) => {
    expect(parse(line)).toBe("help");
  });
});

describe("choosing awslocal's endpoint", () => {
  const receive = (queueUrl: string, extra = "") => invocation(`sqs receive-message --queue-url ${queueUrl}${extra}`);

  it("prefers --endpoint-url over the environment", () => {
    expect(endpointFor(receive(QUEUE_URL, " --endpoint-url http://localhost:1111"), { AWS_ENDPOINT_URL: "http://localhost:2222" })).toBe("http://localhost:1111");
  });

  it("uses AWS_ENDPOINT_URL when there is no flag", () => {
    expect(endpointFor(receive(QUEUE_URL), { AWS_ENDPOINT_URL: "http://localhost:2222" })).toBe("http://localhost:2222");
  });

  it("follows a localhost queue URL's port when nothing else names an endpoint", () => {
    expect(endpointFor(receive("http://localhost:3333/000000000000/interview-queue"), {})).toBe("http://localhost:3333");
  });

  it("falls back to LocalStack's port for a queue URL elsewhere, or none", () => {
    expect(endpointFor(receive("https://sqs.us-east-1.amazonaws.com/123456789012/q"), {})).toBe(DEFAULT_ENDPOINT);
    expect(endpointFor(invocation("sqs list-queues"), {})).toBe("http://localhost:4566");
  });
});
