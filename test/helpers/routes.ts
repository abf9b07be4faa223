import type { Express } from "express";

export interface RegisteredRoute {
  method: string;
  /** The route's path as registered, mount point included (`/api/lessons/:id/checks`). */
  path: string;
}

interface Layer {
  rawPath?: unknown;
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Every route an express app has registered, found by walking its router (express 5, router 2). */
export function registeredRoutes(app: Express): RegisteredRoute[] {
  const walk = (stack: Layer[], prefix: string): RegisteredRoute[] =>
    stack.flatMap((layer) => {
      if (layer.route) return Object.keys(layer.route.methods).map((method) => ({ method: method.toUpperCase(), path: `${prefix}${layer.route?.path}` }));
      if (layer.handle?.stack) return walk(layer.handle.stack, `${prefix}${typeof layer.rawPath === "string" && layer.rawPath !== "/" ? layer.rawPath : ""}`);
      return [];
    });
  return walk((app as unknown as { router: { stack: Layer[] } }).router.stack, "");
}
