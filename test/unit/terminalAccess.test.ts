import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { isLoopbackHost, refusal, terminalOff, type AccessRule } from "../../server/terminal/access.js";
import { shellEnvironment } from "../../server/terminal/shellEnv.js";

const rule: AccessRule = { token: "a".repeat(32), off: null, playgroundUrl: "http://localhost:8000" };

describe("who may open the terminal", () => {
  it.each(["127.0.0.1", "127.0.0.53", "::1", "[::1]", "::ffff:127.0.0.1", "localhost", "sqs.localhost"])("counts %s as loopback", (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each(["0.0.0.0", "::", "192.168.1.5", "::ffff:10.0.0.1", "example.com", "localhost.example.com"])("counts %s as reachable from elsewhere", (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });

  it("lets a local client with the run's token in", () => {
    expect(refusal(rule, "::ffff:127.0.0.1", { token: rule.token })).toBeNull();
  });

  it.each([
    ["no auth", undefined],
    ["no token", {}],
    ["a token that is not text", { token: 42 }],
    ["a wrong token of the same length", { token: "b".repeat(32) }],
    ["a prefix of the token", { token: "a".repeat(31) }],
  ])("refuses %s, pointing at the start URL", (_name, auth) => {
    expect(refusal(rule, "127.0.0.1", auth)).toEqual({ code: "bad-token", reason: "the terminal needs the token from the start URL (http://localhost:8000/?token=…) that the server printed" });
  });

  it("refuses a client on another machine even with the token", () => {
    expect(refusal(rule, "192.168.1.5", { token: rule.token })?.code).toBe("remote-client");
  });

  it("refuses everyone when the playground is bound beyond loopback", () => {
    expect(refusal({ ...rule, off: terminalOff({ HOST: "0.0.0.0", CLASSROOM: true, CONTAINER: false }) }, "127.0.0.1", { token: rule.token })?.code).toBe("not-loopback");
  });

  it("is off in a classroom even on a loopback address (CLASSROOM=true HOST=127.0.0.2)", () => {
    expect(terminalOff({ HOST: "127.0.0.2", CLASSROOM: true, CONTAINER: false })?.code).toBe("classroom");
  });

  it("is off in a container even on a loopback address", () => {
    expect(terminalOff({ HOST: "127.0.0.1", CLASSROOM: false, CONTAINER: true })?.code).toBe("container");
  });

  it("is on for a learner's own playground on loopback", () => {
    expect(terminalOff({ HOST: "127.0.0.1", CLASSROOM: false, CONTAINER: false })).toBeNull();
  });
});

describe("the shell's environment", () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });
  const setup = (PATH: string) => ({
    baseEnv: { PATH, HOME: "/home/learner", AWS_ACCESS_KEY_ID: "AKIAREAL", AWS_SECRET_ACCESS_KEY: "real", AWS_SESSION_TOKEN: "real" },
    rootDir: "/project",
    sqsEndpoint: "http://localhost:4566",
    region: "eu-west-1",
    playgroundUrl: "http://localhost:8000",
  });

  it("puts the project's awslocal first on PATH", () => {
    expect(shellEnvironment(setup("/usr/bin:/bin")).PATH).toBe("/project/bin:/usr/bin:/bin");
  });

  it("keeps an installed awslocal first, with the project's bin last", async () => {
    const realBin = await mkdtemp(join(tmpdir(), "qfp-awslocal-"));
    dirs.push(realBin);
    await writeFile(join(realBin, "awslocal"), "#!/bin/sh\n");
    await chmod(join(realBin, "awslocal"), 0o755);
    expect(shellEnvironment(setup(`${realBin}:/usr/bin`)).PATH).toBe(`${realBin}:/usr/bin:/project/bin`);
  });

  it("points AWS tools at the local SQS with test credentials instead of real ones", () => {
    const env = shellEnvironment(setup("/usr/bin"));
    expect(env).toMatchObject({
      HOME: "/home/learner",
      AWS_ENDPOINT_URL: "http://localhost:4566",
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_DEFAULT_REGION: "eu-west-1",
      PLAYGROUND_URL: "http://localhost:8000",
      TERM: "xterm-256color",
    });
    expect(env.AWS_SESSION_TOKEN).toBeUndefined();
  });
});
