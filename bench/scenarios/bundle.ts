// First-load JavaScript: what index.html makes the browser fetch before anything is clicked
// (the entry script and the chunks it preloads), gzipped; the baseline is every JS chunk built,
// which is what the page would load if nothing were lazy.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { round } from "../stats.js";

export interface BundleResult {
  first_load_gzip_kb: number;
  all_js_gzip_kb: number;
  ratio: number;
  first_load_files: string[];
}

const gzipKb = async (file: string) => gzipSync(await readFile(file)).length / 1024;

export async function benchBundle(clientDir: string): Promise<BundleResult> {
  const html = await readFile(join(clientDir, "index.html"), "utf8");
  const referenced = [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="\/?([^"]+\.js)"/g)].map((m) => m[1] as string);
  const firstLoad = [...new Set(referenced)];
  const allJs = (await readdir(join(clientDir, "assets"))).filter((f) => f.endsWith(".js")).map((f) => `assets/${f}`);
  let first = 0;
  for (const file of firstLoad) first += await gzipKb(join(clientDir, file));
  let all = 0;
  for (const file of allJs) all += await gzipKb(join(clientDir, file));
  return { first_load_gzip_kb: round(first), all_js_gzip_kb: round(all), ratio: round(first / all, 2), first_load_files: firstLoad };
}
