// The page's first load stays small: heavy parts (xterm, the run-file schema, the QR code) load
// when first used. The budget is the JavaScript the built index.html loads before anything is
// clicked, gzipped as a server would send it. `npm test` builds the client before the tests.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/process.js";

const CLIENT = join(ROOT, "dist", "client");
const BUDGET_BYTES = 120 * 1024;

describe.skipIf(!existsSync(join(CLIENT, "index.html")))("the built client", () => {
  it("loads at most 120 KB of gzipped JavaScript before anything is clicked", () => {
    const html = readFileSync(join(CLIENT, "index.html"), "utf8");
    const scripts = [...html.matchAll(/<(?:script type="module"[^>]*src|link rel="modulepreload"[^>]*href)="\.\/([^"]+\.js)"/g)].map((m) => m[1] as string);
    expect(scripts.length).toBeGreaterThan(0);
    const gzipped = scripts.reduce((sum, file) => sum + gzipSync(readFileSync(join(CLIENT, file))).length, 0);
    expect(gzipped).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it("keeps xterm and the run-file schema out of the first load", () => {
    const html = readFileSync(join(CLIENT, "index.html"), "utf8");
    expect(html).not.toMatch(/xterm|runFile/);
  });
});
