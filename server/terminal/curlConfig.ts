import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface CurlCredentials {
  /** The folder to give the shell as CURL_HOME: curl reads its `.curlrc` from there. */
  curlHome: string;
  /** Removes the folder and the token in it (the playground stops). */
  remove(): void;
}

/**
 * curl's configuration for the terminal's shell: the lessons' own curl commands
 * (`curl -X POST http://localhost:8000/tasks …`) then carry the shell's token, so they keep working
 * while followers watch, without a header typed by the learner. The token goes in a netrc file,
 * which curl uses per host: it is sent as Basic credentials to the playground's host names only
 * (on any of their ports: netrc knows no ports), never to another site. An explicit `-u` or
 * `-H "Authorization: …"` still wins. The learner's own `~/.curlrc`, if any, is copied first, since
 * CURL_HOME hides it. The folder is private (mkdtemp makes it 0700; the files are 0600).
 *
 * @param hosts the names the shell reaches the playground by (`localhost`, `127.0.0.1`, HOST)
 * @param token the shell's token; the server counts it as the presenter's outside a classroom
 * @param home the learner's home folder, whose `.curlrc` is kept
 */
export function writeCurlCredentials(hosts: readonly string[], token: string, home: string | undefined): CurlCredentials {
  const curlHome = mkdtempSync(join(tmpdir(), "qfp-curl-"));
  const netrc = join(curlHome, "netrc");
  writeFileSync(netrc, [...new Set(hosts)].map((host) => `machine ${host} login playground password ${token}\n`).join(""), { mode: 0o600 });
  let own = "";
  try {
    if (home) own = `${readFileSync(join(home, ".curlrc"), "utf8")}\n`;
  } catch {
    // No .curlrc of the learner's: nothing to keep.
  }
  // netrc-optional: a host not in the file is asked without credentials, as before.
  writeFileSync(join(curlHome, ".curlrc"), `${own}netrc-optional\nnetrc-file = "${netrc}"\n`, { mode: 0o600 });
  return { curlHome, remove: () => rmSync(curlHome, { recursive: true, force: true }) };
}
