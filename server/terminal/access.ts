import { timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";
import type { TerminalDisabled } from "../../common/terminal.js";

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
  /** False when the playground is bound beyond loopback: a shell must never be one request away from the network. */
  enabled: boolean;
  /** The playground's own URL, to tell the learner where the token is. */
  playgroundUrl: string;
}

/** Why a connection may not have a shell, or null when it may. */
export function refusal(rule: AccessRule, clientAddress: string, auth: unknown): TerminalDisabled | null {
  if (!rule.enabled) {
    return { code: "not-loopback", reason: "the terminal is off when the playground is bound beyond loopback (HOST); run it on 127.0.0.1 to use the terminal" };
  }
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
