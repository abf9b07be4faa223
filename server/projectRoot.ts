import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The project's folder (with package.json, lessons/, dist/), found from this module whether it
 * runs from source (server/) or from the bundle npm start uses (dist/server/).
 */
function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "lessons"))) return dir.endsWith("/") ? dir : `${dir}/`;
    if (dirname(dir) === dir) throw new Error(`cannot find the project folder above ${from}`);
  }
}

export const PROJECT_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
