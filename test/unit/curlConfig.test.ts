import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { writeCurlCredentials, type CurlCredentials } from "../../server/terminal/curlConfig.js";

const made: CurlCredentials[] = [];
const homes: string[] = [];
afterEach(() => {
  for (const credentials of made.splice(0)) credentials.remove();
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
});

const write = (hosts: string[], home?: string) => {
  const credentials = writeCurlCredentials(hosts, "shell-token-0123", home);
  made.push(credentials);
  return credentials;
};

describe("the terminal's curl configuration", () => {
  it("names the token for the playground's hosts only, in a private folder", () => {
    const { curlHome } = write(["localhost", "127.0.0.1", "localhost"]);
    expect(readFileSync(join(curlHome, "netrc"), "utf8")).toBe("machine localhost login playground password shell-token-0123\nmachine 127.0.0.1 login playground password shell-token-0123\n");
    expect(statSync(curlHome).mode & 0o777).toBe(0o700);
    expect(statSync(join(curlHome, "netrc")).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(curlHome, ".curlrc"), "utf8")).toBe(`netrc-optional\nnetrc-file = "${join(curlHome, "netrc")}"\n`);
  });

  it("keeps the learner's own ~/.curlrc, which CURL_HOME would hide", () => {
    const home = mkdtempSync(join(tmpdir(), "qfp-home-"));
    homes.push(home);
    writeFileSync(join(home, ".curlrc"), "--silent");
    const { curlHome } = write(["localhost"], home);
    expect(readFileSync(join(curlHome, ".curlrc"), "utf8")).toMatch(/^--silent\nnetrc-optional\n/);
  });

  it("removes the folder and the token in it", () => {
    const credentials = write(["localhost"]);
    credentials.remove();
    expect(() => statSync(credentials.curlHome)).toThrow(/ENOENT/);
  });
});
