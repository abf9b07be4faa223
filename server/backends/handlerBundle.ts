import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { zipSync } from "fflate";
import { PROJECT_ROOT } from "../projectRoot.js";

/** Built by `npm run build` (esbuild: lambda/index.ts and everything it imports, in one ES module). */
export const HANDLER_BUNDLE = join(PROJECT_ROOT, "dist", "lambda", "index.mjs");

/** The deployment package: the bundled handler as index.mjs at the root of a zip (Handler "index.handler"). */
export async function handlerZip(bundlePath = HANDLER_BUNDLE): Promise<Uint8Array> {
  let code: Buffer;
  try {
    code = await readFile(bundlePath);
  } catch {
    throw new Error(`the handler bundle ${bundlePath} is missing: run \`npm run build\` (npm install does it)`);
  }
  // A fixed date keeps the zip identical for identical code.
  return zipSync({ "index.mjs": [code, { mtime: new Date("2020-01-01T00:00:00Z") }] }, { level: 9 });
}
