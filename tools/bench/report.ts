// Timing, statistics and printing for `npm run bench` (tools/bench/index.ts). Every target is printed as
// its figure, the floor it is compared with (measured in the same run) and the ratio, so a loaded machine
// moves both sides alike.

export function elapsedMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export async function timeMs(work: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return elapsedMs(start);
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number {
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export interface LinearFit {
  intercept: number;
  slope: number;
  r2: number;
}

/** Ordinary least squares y = intercept + slope·x, with the coefficient of determination. */
export function fitLine(xs: readonly number[], ys: readonly number[]): LinearFit {
  const n = xs.length;
  const meanX = xs.reduce((s, x) => s + x, 0) / n;
  const meanY = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - meanX) * (ys[i] - meanY);
    sxx += (xs[i] - meanX) ** 2;
  }
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  const ssRes = ys.reduce((s, y, i) => s + (y - (intercept + slope * xs[i])) ** 2, 0);
  const ssTot = ys.reduce((s, y) => s + (y - meanY) ** 2, 0);
  return { intercept, slope, r2: ssTot === 0 ? 1 : 1 - ssRes / ssTot };
}

export type Cell = string | number;

export function fixed(value: number, digits: number): string {
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** An aligned table: text columns left-aligned, numeric columns right-aligned. */
export function printTable(title: string, header: string[], rows: Cell[][]): void {
  const text = rows.map((row) => row.map(String));
  const numeric = header.map((_, i) => {
    const cells = text.map((row) => row[i] ?? "").filter((cell) => cell !== "");
    return cells.length > 0 && cells.every((cell) => /^[-+]?[\d,.]+[x×]?$/.test(cell));
  });
  const widths = header.map((h, i) => Math.max(h.length, ...text.map((row) => (row[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const row of text) console.log(line(row));
}

export function note(message: string): void {
  console.log(`  ${message}`);
}

/** One target of issue 13: a figure against its floor, the ratio, and whether the ratio is within the limit. */
export interface Target {
  target: string;
  figure: string;
  floor: string;
  ratio: number;
  limit: number;
}

/** Every target printed so far, for the summary at the end of the run. */
export const targets: Target[] = [];

export function ratio(figure: number, floor: number): number {
  return figure / floor;
}

export function recordTarget(target: Target): Target {
  targets.push(target);
  return target;
}

export function targetRow(t: Target): Cell[] {
  return [t.target, t.figure, t.floor, `${fixed(t.ratio, 2)}x`, `<= ${fixed(t.limit, 2)}x`, t.ratio <= t.limit ? "met" : "MISSED"];
}

export const TARGET_HEADER = ["Target", "Figure", "Floor", "Ratio", "Limit", "Verdict"];

export function printTargets(title: string, rows: Target[]): void {
  printTable(title, TARGET_HEADER, rows.map(targetRow));
}
