import type { Config } from "../config.js";
import { ControlAccess } from "./controlAccess.js";
import { HostRule } from "./hostRule.js";

/** The control rules for this configuration; the port is read once the server listens. */
export function controlAccessFor(config: Config, presenterToken: string, port: () => number): ControlAccess {
  const hosts = new HostRule({ port, bindHost: config.HOST, classroom: config.CLASSROOM, ...(config.PUBLIC_HOST ? { publicHost: config.PUBLIC_HOST } : {}) });
  return new ControlAccess({ hosts, classroom: config.CLASSROOM, presenterToken });
}
