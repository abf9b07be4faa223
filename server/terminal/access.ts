import { timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";
import type { TerminalDisabled } from "../../common/terminal.js";
import type { Config } from "../config.js";

/** True for a name or address that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (bare === "localhost" || bare.endsWith(".localhost")) return true;
  // An IPv4 client on a dual-stack socket shows up as ::ffff:127.0.0.1.
  const address = bare.replace(/^::ffff:/, "");
  if (isIP(address) === 4) return address.startsWith("127.");
  return address === "::1";
}

export interface AccessRule {
  /** The per-run token of the start URL. */
  token: string;
  /** Why the terminal is off for everyone (see `terminalOff`), or null when it is on. */
  off: TerminalDisabled | null;
  /** The playground's own URL, to tell the learner where the token is. */
  playgroundUrl: string;
}

/**
 * A shell is never one request away from the network: the terminal is off when the playground is
 * bound beyond loopback, in a classroom whatever the address (CLASSROOM=true on 127.0.0.2 is
 * still a room whose start-up line says the terminal is off), and in a container (CONTAINER=true:
 * its port is published for the host, and the shell would be the container's).
 * @returns why it is off, as the page shows it; null when it is on
 */
export function terminalOff(config: Pick<Config, "HOST" | "CLASSROOM" | "CONTAINER">): TerminalDisabled | null {
  if (!isLoopbackHost(config.HOST)) {
    return { code: "not-loopback", reason: "the terminal is off when the playground is bound beyond loopback (HOST); run it on 127.0.0.1 to use the terminal" };
  }
  if (config.CLASSROOM) return { code: "classroom", reason: "the terminal is off in a classroom (CLASSROOM=true), whatever address the playground is bound to" };
  if (config.CONTAINER) return { code: "container", reason: "the terminal is off in a container (CONTAINER=true); use `docker compose exec app bash`" };
  return null;
}

/** Why a connection may not have a shell, or null when it may. */
export function refusal(rule: AccessRule, clientAddress: string, auth: unknown): TerminalDisabled | null {
  if (rule.off) return rule.off;
  if (!isLoopbackHost(clientAddress)) {
    return { code: "remote-client", reason: "the terminal only answers connections from this machine" };
  }
  const token = (auth as { token?: unknown } | undefined)?.token;
  if (typeof token !== "string" || !sameSecret(token, rule.token)) {
    return { code: "bad-token", reason: `the terminal needs the token from the start URL (${rule.playgroundUrl}/?token=…) that the server printed` };
  }
  return null;
}

/** Compares a secret in constant time, so its bytes cannot be guessed one by one from timings. */
export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
