import type { BenchResults } from "./harness.js";

const WIDTH = 900;
const ROW = 34;
const LEFT = 290;
/** Room on the right for the figure and what it was. */
const BAR_WIDTH = WIDTH - LEFT - 170;
/** The scale runs to twice the budget: a bar past the middle line misses it. */
const SCALE = 2;

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;");

/** A figure as a share of its budget, oriented so that ≤ 1 holds (for "at least" budgets, budget ÷ figure). */
function share(check: BenchResults["budgets"][number]): number | null {
  if (check.figure === null || Number.isNaN(check.figure)) return null;
  if (check.budget === 0) return check.figure === 0 ? 0 : SCALE;
  return check.kind === "max" ? check.figure / check.budget : check.budget / Math.max(check.figure, 1e-9);
}

/**
 * Every budget as a bar: how much of it this run used (and the run before the optimisations, when
 * given). The dashed line is the budget; shorter is better.
 */
export function renderChart(after: BenchResults, before?: BenchResults): string {
  const checks = after.budgets;
  const height = 60 + checks.length * ROW + 30;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="20" font-size="15" font-weight="bold">Queue Flow Playground — share of each budget used (shorter is better)</text>`,
    `<text x="10" y="40" fill="#555">${before ? `grey: before (${escape(before.meta.commit)}), blue: after (${escape(after.meta.commit)})` : `commit ${escape(after.meta.commit)}`}; dashed line = budget</text>`,
  ];
  const x0 = LEFT;
  const budgetX = x0 + BAR_WIDTH / SCALE;
  checks.forEach((check, i) => {
    const y = 55 + i * ROW;
    parts.push(`<text x="${x0 - 8}" y="${y + 17}" text-anchor="end">${escape(check.name)}</text>`);
    const bar = (value: number | null, dy: number, h: number, color: string) => {
      if (value === null) return;
      const w = Math.max(1, Math.min(SCALE, value) * (BAR_WIDTH / SCALE));
      parts.push(`<rect x="${x0}" y="${y + dy}" width="${w.toFixed(1)}" height="${h}" fill="${color}"/>`);
    };
    const old = before?.budgets.find((b) => b.key === check.key);
    if (old) bar(share(old), 4, 10, "#b0b0b0");
    const now = share(check);
    bar(now, old ? 15 : 6, old ? 12 : 16, check.holds === false ? "#c62828" : "#1565c0");
    const label = check.figure === null ? "n/a" : `${check.figure}${old && old.figure !== null ? ` (was ${old.figure})` : ""}`;
    parts.push(`<text x="${x0 + BAR_WIDTH + 4}" y="${y + 17}" fill="#333">${escape(label)}</text>`);
  });
  parts.push(`<line x1="${budgetX}" y1="50" x2="${budgetX}" y2="${height - 25}" stroke="#000" stroke-dasharray="4 3"/>`);
  parts.push(`<text x="${budgetX}" y="${height - 10}" text-anchor="middle" fill="#333">budget</text>`);
  parts.push(`</svg>`);
  return parts.join("\n");
}
