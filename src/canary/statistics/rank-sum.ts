import normalCdf from '@stdlib/stats-base-dists-normal-cdf';

/** A one-sided Mann-Whitney U (Wilcoxon rank-sum) test. */
export interface RankSumResult {
  /** Pairs (x, y) with x > y, ties counting one half: R's W for `wilcox.test(x, y)`. */
  u: number;
  p: number;
  method: 'exact' | 'normal';
}

// R's wilcox.test computes the exact distribution below 50 values per side
// when there are no ties; beyond that, or with ties, the normal approximation.
const EXACT_LIMIT = 50;

/** One-sided Mann-Whitney U test that `x` tends to be greater than `y` (R: `wilcox.test(x, y, alternative = "greater")`). */
export function rankSumGreater(x: readonly number[], y: readonly number[]): RankSumResult {
  if (x.length === 0 || y.length === 0) return { u: 0, p: 1, method: 'exact' };
  const { ranks, tieTerm } = midRanks([...x, ...y]);
  const rankSumX = ranks.slice(0, x.length).reduce((sum, rank) => sum + rank, 0);
  const u = rankSumX - (x.length * (x.length + 1)) / 2;
  if (tieTerm === 0 && x.length < EXACT_LIMIT && y.length < EXACT_LIMIT) {
    return { u, p: exactUpperTail(u, x.length, y.length), method: 'exact' };
  }
  return { u, p: normalUpperTail(u, x.length, y.length, tieTerm), method: 'normal' };
}

/**
 * The smallest one-sided p-value any samples of these sizes can give (all of
 * one side above all of the other): 1 / C(m + n, m).
 */
export function smallestRankSumP(m: number, n: number): number {
  let combinations = 1;
  for (let i = 1; i <= Math.min(m, n); i++) combinations = (combinations * (m + n - i + 1)) / i;
  return 1 / combinations;
}

/**
 * P(U ≥ u) for samples of m and n without ties, from the exact null
 * distribution: the count of arrangements giving each U, built by the
 * recurrence f(i, j, u) = f(i - 1, j, u - j) + f(i, j - 1, u) (Mann & Whitney 1947).
 */
export function exactUpperTail(u: number, m: number, n: number): number {
  const size = m * n + 1;
  // counts[i] holds f(i, j, ·) for the current j; j = 0 has one arrangement with U = 0.
  let counts = Array.from({ length: m + 1 }, () => {
    const row = new Float64Array(size);
    row[0] = 1;
    return row;
  });
  for (let j = 1; j <= n; j++) {
    const next = [counts[0] ?? new Float64Array(size)];
    for (let i = 1; i <= m; i++) {
      const row = new Float64Array(size);
      const shorter = next[i - 1] ?? row;
      const previous = counts[i] ?? row;
      for (let v = 0; v < size; v++) row[v] = (v >= j ? (shorter[v - j] ?? 0) : 0) + (previous[v] ?? 0);
      next.push(row);
    }
    counts = next;
  }
  const distribution = counts[m] ?? new Float64Array(size);
  let total = 0;
  let tail = 0;
  for (let v = 0; v < size; v++) {
    const count = distribution[v] ?? 0;
    total += count;
    if (v >= u) tail += count;
  }
  return tail / total;
}

/**
 * P(U ≥ u) by the normal approximation with the tie correction of the variance
 * and a continuity correction of one half, as R's `wilcox.test(..., exact = FALSE)`
 * and SciPy's `mannwhitneyu(..., method = "asymptotic")`.
 */
export function normalUpperTail(u: number, m: number, n: number, tieTerm = 0): number {
  const total = m + n;
  const variance = ((m * n) / 12) * (total + 1 - tieTerm / (total * (total - 1)));
  if (variance <= 0) return 1;
  const z = (u - (m * n) / 2 - 0.5) / Math.sqrt(variance);
  // The lower tail of -z keeps its precision where the upper tail is tiny.
  return normalCdf(-z, 0, 1);
}

// Average ranks (1-based) of tied values, and Σ(t³ - t) over the groups of ties.
function midRanks(values: readonly number[]): { ranks: number[]; tieTerm: number } {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const ranks = new Array<number>(values.length).fill(0);
  let tieTerm = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]?.value === order[start]?.value) end++;
    const rank = (start + end + 2) / 2;
    for (let k = start; k <= end; k++) {
      const entry = order[k];
      if (entry) ranks[entry.index] = rank;
    }
    const tied = end - start + 1;
    tieTerm += tied ** 3 - tied;
    start = end + 1;
  }
  return { ranks, tieTerm };
}
