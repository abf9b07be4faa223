import { describe, expect, it } from "vitest";
import { parseConfig } from "../../server/config.js";
import { ControlAccess } from "../../server/security/controlAccess.js";
import { HostRule, splitHost } from "../../server/security/hostRule.js";

const PORT = 8000;
const loopback = new HostRule({ port: () => PORT, bindHost: "127.0.0.1", classroom: false });
const classroom = new HostRule({ port: () => PORT, bindHost: "0.0.0.0", classroom: true, publicHost: "presenter.local", machineAddresses: () => ["127.0.0.1", "192.168.1.5"] });
const TOKEN = "p".repeat(32);

describe("the Host a control request may name", () => {
  it.each(["localhost:8000", "LOCALHOST:8000", "127.0.0.1:8000", "127.1.2.3:8000", "[::1]:8000", "app.localhost:8000"])("accepts %s on loopback", (host) => {
    expect(loopback.allowsHost(host)).toBe(true);
  });

  it.each([
    ["a foreign name pointed at 127.0.0.1 (DNS rebinding)", "evil.example:8000"],
    ["a loopback name with another port", "localhost:9000"],
    ["a loopback name without the port (port 80)", "localhost"],
    ["a name that only starts like localhost", "localhost.evil.example:8000"],
    ["this machine's network address while bound to loopback", "192.168.1.5:8000"],
    ["garbage", "local host:8000"],
    ["an empty header", ""],
    ["no header", undefined],
  ])("refuses %s", (_name, host) => {
    expect(loopback.allowsHost(host)).toBe(false);
  });

  it("accepts, in the classroom, this machine's own addresses and PUBLIC_HOST, and nothing else", () => {
    expect(classroom.allowsHost("192.168.1.5:8000")).toBe(true);
    expect(classroom.allowsHost("presenter.local:8000")).toBe(true);
    expect(classroom.allowsHost("10.9.9.9:8000")).toBe(false);
    expect(classroom.allowsHost("evil.example:8000")).toBe(false);
  });

  it("takes PUBLIC_HOST's own port when it names one (a proxy in front)", () => {
    const proxied = new HostRule({ port: () => PORT, bindHost: "127.0.0.1", classroom: false, publicHost: "playground.example:443" });
    expect(proxied.allowsHost("playground.example:443")).toBe(true);
    expect(proxied.allowsHost("playground.example:8000")).toBe(false);
  });

  it("reads host, port and bracketed IPv6 addresses", () => {
    expect(splitHost("[::1]:80")).toEqual({ name: "::1", port: 80 });
    expect(splitHost("Example.COM")).toEqual({ name: "example.com", port: null });
    expect(splitHost("a b")).toBeNull();
  });
});

describe("the Origin a browser's control request may come from", () => {
  it.each(["http://localhost:8000", "http://127.0.0.1:8000", "http://[::1]:8000"])("accepts the playground's own page at %s", (origin) => {
    expect(loopback.allowsOrigin(origin)).toBe(true);
  });

  it.each(["https://evil.example", "http://evil.example:8000", "http://localhost:3000", "null", "file://", "http://localhost:8000/path", ""])("refuses %j", (origin) => {
    expect(loopback.allowsOrigin(origin)).toBe(false);
  });
});

describe("control access", () => {
  const onLoopback = new ControlAccess({ hosts: loopback, classroom: false, presenterToken: TOKEN });
  const inClassroom = new ControlAccess({ hosts: classroom, classroom: true, presenterToken: TOKEN });

  it("lets curl on this machine act without a token", () => {
    expect(onLoopback.foreign("localhost:8000", undefined)).toBeNull();
    expect(onLoopback.presenter(undefined)).toBeNull();
  });

  it("names what is wrong: a foreign Host, then a foreign Origin", () => {
    expect(onLoopback.foreign("evil.example:8000", undefined)).toMatchObject({ code: "ForeignHost", message: expect.stringContaining("http://localhost:8000") });
    expect(onLoopback.foreign("localhost:8000", "https://evil.example")).toMatchObject({ code: "ForeignOrigin", message: expect.stringContaining("https://evil.example") });
  });

  it.each([
    ["no token", undefined],
    ["a token that is not text", 42],
    ["a wrong token", "q".repeat(32)],
    ["a prefix of the token", TOKEN.slice(1)],
  ])("refuses %s in the classroom", (_name, token) => {
    expect(inClassroom.presenter(token)?.code).toBe("PresenterTokenRequired");
  });

  it("lets the presenter act in the classroom", () => {
    expect(inClassroom.presenter(TOKEN)).toBeNull();
  });

  it("counts the learner's own tokens (the printed link's, the terminal's) as the presenter's on this machine", () => {
    const learner = new ControlAccess({ hosts: loopback, classroom: false, presenterToken: TOKEN, learnerTokens: ["run-token-0123456789", "shell-token-0123456789"] });
    expect(learner.isPresenter("run-token-0123456789")).toBe(true);
    expect(learner.isPresenter("shell-token-0123456789")).toBe(true);
    expect(learner.isPresenter(TOKEN)).toBe(true);
    expect(learner.isPresenter("run-token-012345678")).toBe(false);
    expect(learner.isPresenter(undefined)).toBe(false);
  });

  it("does not count the learner's tokens as the presenter's in a classroom", () => {
    const room = new ControlAccess({ hosts: classroom, classroom: true, presenterToken: TOKEN, learnerTokens: ["run-token-0123456789"] });
    expect(room.isPresenter("run-token-0123456789")).toBe(false);
    expect(room.presenter("run-token-0123456789")?.code).toBe("PresenterTokenRequired");
  });

  it("reads the token of an Authorization: Bearer header", () => {
    expect(ControlAccess.credential(`Bearer ${TOKEN}`)).toBe(TOKEN);
    expect(ControlAccess.credential(`bearer  ${TOKEN} `)).toBe(TOKEN);
    expect(ControlAccess.credential(undefined)).toBeUndefined();
  });

  it("reads the password of Basic credentials (what curl sends from a netrc file), and nothing from a bare Basic token", () => {
    expect(ControlAccess.credential(`Basic ${Buffer.from(`playground:${TOKEN}`).toString("base64")}`)).toBe(TOKEN);
    expect(ControlAccess.credential(`Basic ${TOKEN}`)).toBeUndefined();
    expect(ControlAccess.credential("Basic %%%")).toBeUndefined();
  });
});

describe("the classroom flag", () => {
  it("binds 127.0.0.1 by default", () => {
    expect(parseConfig({}, "test")).toMatchObject({ HOST: "127.0.0.1", CLASSROOM: false });
  });

  it.each(["0.0.0.0", "::", "192.168.1.5"])("refuses HOST=%s without CLASSROOM=true, saying how to do it on purpose", (host) => {
    expect(() => parseConfig({ HOST: host }, "test")).toThrow(/CLASSROOM=true/);
  });

  it("accepts HOST=0.0.0.0 with CLASSROOM=true, and a fixed PRESENTER_TOKEN", () => {
    expect(parseConfig({ HOST: "0.0.0.0", CLASSROOM: "true", PRESENTER_TOKEN: TOKEN }, "test")).toMatchObject({ CLASSROOM: true, PRESENTER_TOKEN: TOKEN });
  });

  it("refuses a presenter token too short to be a secret", () => {
    expect(() => parseConfig({ PRESENTER_TOKEN: "short" }, "test")).toThrow(/PRESENTER_TOKEN="short"/);
  });
});
