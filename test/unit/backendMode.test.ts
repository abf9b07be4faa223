import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../server/config.js";

const awsEnv = {
  PLAYGROUND_MODE: "aws",
  AWS_REGION: "eu-west-1",
  AWS_PROFILE: "sandbox",
  LAMBDA_ROLE_ARN: "arn:aws:iam::123456789012:role/queue-flow-playground-lambda",
  PLAYGROUND_INTERNAL_URL: "https://playground.example.com",
};

describe("choosing the backend", () => {
  it("is embedded when nothing says otherwise", () => {
    expect(parseConfig({}, "t").mode).toBe("embedded");
  });

  it("is LocalStack when an endpoint is given, and LocalStack without an endpoint is refused", () => {
    expect(parseConfig({ AWS_ENDPOINT_URL: "http://localhost:4566" }, "t").mode).toBe("localstack");
    expect(() => parseConfig({ PLAYGROUND_MODE: "localstack" }, "t")).toThrow(/needs AWS_ENDPOINT_URL/);
  });

  it("is AWS only when asked for explicitly, with region, credentials, role and a public URL", () => {
    const config = parseConfig(awsEnv, "t");
    expect(config).toMatchObject({ mode: "aws", AWS_REGION: "eu-west-1" });
  });

  it("names every missing piece of AWS mode at once", () => {
    try {
      parseConfig({ PLAYGROUND_MODE: "aws" }, "t");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      for (const piece of ["AWS_REGION", "credentials", "LAMBDA_ROLE_ARN", "PLAYGROUND_INTERNAL_URL"]) expect(message).toContain(piece);
    }
  });

  it("refuses AWS mode pointed at an emulator", () => {
    expect(() => parseConfig({ ...awsEnv, AWS_ENDPOINT_URL: "http://localhost:4566" }, "t")).toThrow(/no AWS_ENDPOINT_URL/);
  });

  it("prefixes AWS resource names so teardown can find only its own", () => {
    const config = parseConfig(awsEnv, "t");
    expect([config.QUEUE_NAME, config.DLQ_NAME]).toEqual(["queue-flow-playground-interview-queue", "queue-flow-playground-interview-queue-dlq"]);
  });
});
