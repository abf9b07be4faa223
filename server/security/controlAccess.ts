import { sameSecret } from "../terminal/access.js";
import type { HostRule } from "./hostRule.js";

/** Why a control action is refused: the same codes over HTTP (403) and Socket.IO ({error}). */
export interface Refusal {
  code: "ForeignHost" | "ForeignOrigin" | "PresenterTokenRequired";
  message: string;
}

export interface ControlAccessOptions {
  hosts: HostRule;
  /** Bound beyond loopback (CLASSROOM=true): control actions need the presenter token. */
  classroom: boolean;
  presenterToken: string;
}

/** Who may act on the playground: the rules shared by the HTTP API and Socket.IO. */
export class ControlAccess {
  constructor(private readonly options: ControlAccessOptions) {}

  get classroom(): boolean {
    return this.options.classroom;
  }

  /** A request (or socket handshake) that names another site: a cross-site page or DNS rebinding. */
  foreign(host: string | undefined, origin: string | undefined): Refusal | null {
    if (!this.options.hosts.allowsHost(host)) {
      return { code: "ForeignHost", message: `the Host header ${JSON.stringify(host ?? "")} does not name this playground; use http://localhost:${this.options.hosts.port} (or set PUBLIC_HOST to the name you use)` };
    }
    if (origin !== undefined && !this.options.hosts.allowsOrigin(origin)) {
      return { code: "ForeignOrigin", message: `requests from the page at ${JSON.stringify(origin)} are refused: only the playground's own page may use its controls` };
    }
    return null;
  }

  /** In the classroom only the presenter acts; on loopback anyone on this machine may (as curl does). */
  presenter(token: unknown): Refusal | null {
    if (!this.options.classroom || (typeof token === "string" && sameSecret(token, this.options.presenterToken))) return null;
    return {
      code: "PresenterTokenRequired",
      message: "in classroom mode control actions need the presenter token that the server printed: send Authorization: Bearer <token> (the page takes it from ?presenter=<token>)",
    };
  }

  /** The bearer token of an Authorization header, if any. */
  static bearer(header: string | undefined): string | undefined {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
    return match?.[1];
  }
}
