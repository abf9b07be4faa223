import type { Config } from "../config.js";
import { ControlAccess } from "./controlAccess.js";
import { HostRule } from "./hostRule.js";

/** The secrets that act as the presenter: the presenter token, and (outside a classroom) the learner's own page's and terminal's tokens. */
export interface PresenterSecrets {
  presenterToken: string;
  learnerTokens: readonly string[];
}

/** The names the playground's port answers to; the port is read once the server listens. */
export function playgroundHostsFor(config: Config, port: () => number): HostRule {
  return new HostRule({ port, bindHost: config.HOST, classroom: config.CLASSROOM, ...(config.PUBLIC_HOST ? { publicHost: config.PUBLIC_HOST } : {}) });
}

/** The control rules for this configuration. */
export function controlAccessFor(config: Config, secrets: PresenterSecrets, hosts: HostRule): ControlAccess {
  return new ControlAccess({ hosts, classroom: config.CLASSROOM, ...secrets });
}
