import { networkInterfaces } from "node:os";
import { isIP } from "node:net";
import { isLoopbackHost } from "../terminal/access.js";

/**
 * Which names a request may use for this playground (its Host header, and its Origin when a
 * browser sends one). A web page from another site cannot pass: its Origin names that site, and
 * a DNS-rebinding page that points its own name at 127.0.0.1 still sends that name as the Host.
 */
export interface HostRuleOptions {
  /** The port the playground listens on; known only once it listens (tests use port 0). */
  port: () => number;
  /** An extra name (or address) the playground is reached by, with an optional port: PUBLIC_HOST. */
  publicHost?: string;
  /** The interface it binds (HOST): a specific address is a name it may be reached by. */
  bindHost: string;
  /** Bound beyond loopback on purpose: this machine's own addresses are its names too. */
  classroom: boolean;
  /** This machine's addresses (injectable for tests); os.networkInterfaces by default. */
  machineAddresses?: () => string[];
}

interface HostPort {
  name: string;
  port: number | null;
}

/** `name`, `name:port`, `[v6]` or `[v6]:port`; null when it is none of these. */
export function splitHost(value: string): HostPort | null {
  const match = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(value.trim());
  if (!match?.[1]) return null;
  const name = match[1].replace(/^\[|\]$/g, "").toLowerCase();
  return { name, port: match[2] === undefined ? null : Number(match[2]) };
}

const WILDCARDS = new Set(["0.0.0.0", "::", "[::]"]);

function ownAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((entry) => entry.address.toLowerCase()));
}

export class HostRule {
  private readonly publicHost: HostPort | null;

  constructor(private readonly options: HostRuleOptions) {
    this.publicHost = options.publicHost ? splitHost(options.publicHost) : null;
  }

  get port(): number {
    return this.options.port();
  }

  /** Whether a Host header names this playground. Without a port, HTTP means port 80. */
  allowsHost(header: string | undefined): boolean {
    const host = header === undefined ? null : splitHost(header);
    if (!host) return false;
    const port = this.options.port();
    const samePort = (host.port ?? 80) === port;
    if (this.publicHost && host.name === this.publicHost.name && (host.port ?? 80) === (this.publicHost.port ?? port)) return true;
    if (!samePort) return false;
    if (isLoopbackHost(host.name)) return true;
    const bind = this.options.bindHost.toLowerCase();
    if (!WILDCARDS.has(bind) && host.name === bind.replace(/^\[|\]$/g, "")) return true;
    // A browser in the classroom opens http://<the presenter's address>:<port>.
    return this.options.classroom && isIP(host.name) !== 0 && (this.options.machineAddresses ?? ownAddresses)().includes(host.name);
  }

  /** Whether an Origin header is this playground's own: http(s) and a host it allows. */
  allowsOrigin(header: string): boolean {
    let origin: URL;
    try {
      origin = new URL(header);
    } catch {
      return false;
    }
    if (origin.protocol !== "http:" && origin.protocol !== "https:") return false;
    if (origin.origin !== header.replace(/\/$/, "")) return false;
    const port = origin.port || (origin.protocol === "https:" ? "443" : "80");
    return this.allowsHost(`${origin.hostname}:${port}`);
  }
}
