import type { Request, RequestHandler, Response } from "express";
import helmet from "helmet";

/**
 * helmet's headers, fitted to a playground served over plain HTTP on this machine or a classroom
 * network. Scripts only from the page's own origin (the client has no inline script); inline
 * styles stay allowed because xterm and uPlot set them at run time; 'self' in connect-src covers
 * the page's own Socket.IO WebSocket. Nothing that assumes HTTPS: upgrade-insecure-requests would
 * send a classroom browser to an https:// that does not exist, and HSTS and the opener policy are
 * ignored (with console warnings) on plain HTTP.
 */
export function securityHeaders(): RequestHandler {
  const helmetMiddleware = helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        "connect-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "upgrade-insecure-requests": null,
      },
    },
    strictTransportSecurity: false,
    crossOriginOpenerPolicy: false,
  });
  // None of these headers depends on the request (no nonces), so helmet's eleven middlewares run
  // once, here, and each response gets their result in one call: they cost 0.2 ms of the server's
  // CPU per request in a burst (bench/README.md).
  const headers = new Map<string, string>();
  const removed: string[] = [];
  const recorder = { setHeader: (name: string, value: unknown) => headers.set(name, String(value)), removeHeader: (name: string) => removed.push(name) };
  helmetMiddleware({ method: "GET", url: "/", headers: {} } as Request, recorder as unknown as Response, (error?: unknown) => {
    if (error) throw error;
  });
  if (headers.size === 0) throw new Error("helmet set no headers: securityHeaders() needs updating for this helmet version");
  return (_req, res, next) => {
    res.setHeaders(headers);
    for (const name of removed) res.removeHeader(name);
    next();
  };
}
