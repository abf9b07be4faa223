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
  /**
   * The learner's own credentials on their machine: the run token of the printed link (the page
   * sends it) and the terminal shell's token (its curl sends it). Outside a classroom they count
   * as the presenter's, so followers watching on the same machine never lock the learner out; in
   * a classroom only the presenter token does.
   */
  learnerTokens?: readonly string[];
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

  /** Whether a credential is the presenter's: the presenter token, or (outside a classroom) the learner's own tokens. */
  isPresenter(credential: unknown): boolean {
    const { presenter, learner } = this.match(credential);
    return presenter || (learner && !this.options.classroom);
  }

  /**
   * Whether a credential is one this run of the playground gave out (the presenter token or a
   * learner's token), whatever it may do here. Tokens are made anew at each start: a page that
   * sends another one was opened from an earlier run's link (or a mistyped one).
   */
  knows(credential: string): boolean {
    const { presenter, learner } = this.match(credential);
    return presenter || learner;
  }

  private match(credential: unknown): { presenter: boolean; learner: boolean } {
    if (typeof credential !== "string") return { presenter: false, learner: false };
    // Every token is compared, so the time taken does not tell which one came close.
    const presenter = sameSecret(credential, this.options.presenterToken);
    const learner = (this.options.learnerTokens ?? []).map((token) => sameSecret(credential, token)).includes(true);
    return { presenter, learner };
  }

  /** In the classroom only the presenter acts; on loopback anyone on this machine may (as curl does). */
  presenter(credential: unknown): Refusal | null {
    if (!this.options.classroom || this.isPresenter(credential)) return null;
    return {
      code: "PresenterTokenRequired",
      message: "in classroom mode control actions need the presenter token that the server printed: send Authorization: Bearer <token> (the page takes it from ?presenter=<token>)",
    };
  }

  /**
   * The credential of an Authorization header: a Bearer token, or the password of Basic
   * credentials (what curl sends from a netrc file, as the terminal's shell is set up to).
   */
  static credential(header: string | undefined): string | undefined {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "")?.[1];
    if (bearer !== undefined) return bearer;
    const basic = /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(header ?? "")?.[1];
    if (basic === undefined) return undefined;
    const decoded = Buffer.from(basic, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    return colon < 0 ? undefined : decoded.slice(colon + 1);
  }
}
