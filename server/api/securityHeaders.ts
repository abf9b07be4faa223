import type { RequestHandler } from "express";
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
  return helmet({
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
}
