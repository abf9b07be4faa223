// The playground's HTTP API as the page uses it. Errors come back as {"error": {code, message}}.
import { controlCredential } from "./presenter.js";

export interface ApiAnswer {
  status: number;
  ok: boolean;
  text: string;
  json: unknown;
}

export async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer> {
  const sent = new Headers(headers);
  const init: RequestInit = { method, headers: sent };
  if (body !== undefined) init.body = typeof body === "string" ? body : JSON.stringify(body);
  // The server takes control actions only as JSON, bodies or not (README, Security).
  if (method !== "GET" && !sent.has("content-type")) sent.set("content-type", "application/json");
  const credential = controlCredential();
  if (credential && !sent.has("authorization")) sent.set("authorization", `Bearer ${credential}`);
  const response = await fetch(path, init);
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: response.status, ok: response.ok, text, json };
}

export async function getJson<T>(path: string): Promise<T> {
  const answer = await call("GET", path);
  if (!answer.ok) throw new Error(`${path}: ${answer.status} ${answer.text}`);
  return answer.json as T;
}

/** Escape text for HTML built in templates. */
export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);
}
