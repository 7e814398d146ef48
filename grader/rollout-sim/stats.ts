/**
 * The statistics the decision rules need: the standard normal distribution and the Mann–Whitney U
 * test (normal approximation, tie and continuity corrections), the test Kayenta's canary judge uses
 * to compare a canary's metric series with the baseline's.
 */

/** erf by Abramowitz–Stegun 7.1.26 refined: absolute error below 1.5e-7, plenty for p-values and quantiles. */
function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const ax = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * ax);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-ax * ax);
  return sign * y;
}

export function normalCdf(z: number): number {
  return 0.5 * (1 + erf(z / Math.SQRT2));
}

export function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

// Acklam's coefficients, kept at module level: the simulation asks for quantiles thousands of times a grading.
const A0 = -39.69683028665376,
  A1 = 220.9460984245205,
  A2 = -275.9285104469687,
  A3 = 138.357751867269,
  A4 = -30.66479806614716,
  A5 = 2.506628277459239;
const B0 = -54.47609879822406,
  B1 = 161.5858368580409,
  B2 = -155.6989798598866,
  B3 = 66.80131188771972,
  B4 = -13.28068155288572;
const C0 = -0.007784894002430293,
  C1 = -0.3223964580411365,
  C2 = -2.400758277161838,
  C3 = -2.549732539343734,
  C4 = 4.374664141464968,
  C5 = 2.938163982698783;
const D0 = 0.007784695709041462,
  D1 = 0.3224671290700398,
  D2 = 2.445134137142996,
  D3 = 3.754408661907416;
const P_LOW = 0.02425;

/** Inverse of the standard normal CDF (Acklam's rational approximation, relative error about 1e-9). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((C0 * q + C1) * q + C2) * q + C3) * q + C4) * q + C5) / ((((D0 * q + D1) * q + D2) * q + D3) * q + 1);
  }
  if (p > 1 - P_LOW) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((A0 * r + A1) * r + A2) * r + A3) * r + A4) * r + A5) * q) /
    (((((B0 * r + B1) * r + B2) * r + B3) * r + B4) * r + 1)
  );
}

export interface MannWhitneyResult {
  /** U of the first sample: the number of (x, y) pairs with x > y, ties counting one half. */
  u: number;
  /** U of the second sample; u + uOther = n1 × n2. */
  uOther: number;
  /** Standardised U of the first sample, continuity- and tie-corrected; 0 when every value is tied. */
  z: number;
  /** One-sided p-value for "the first sample tends to be larger". */
  pGreater: number;
}

/**
 * Mann–Whitney U of `x` against `y`, from mid-ranks of the pooled sample. The variance carries the
 * tie correction n1·n2/12 · ((n+1) − Σ(t³−t)/(n(n−1))), which matters for error-rate series of a small
 * arm, where most minutes have zero errors and tie.
 */
export function mannWhitneyU(x: readonly number[], y: readonly number[]): MannWhitneyResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new RangeError("Mann–Whitney U needs at least one value in each sample");
  const pooled = [...x.map((value) => ({ value, first: true })), ...y.map((value) => ({ value, first: false }))];
  pooled.sort((p, q) => p.value - q.value);
  const n = n1 + n2;
  let rankSumX = 0;
  let tieTerm = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && (pooled[j + 1] as { value: number }).value === (pooled[i] as { value: number }).value) j++;
    const midRank = (i + 1 + j + 1) / 2;
    const t = j - i + 1;
    tieTerm += t * t * t - t;
    for (let k = i; k <= j; k++) if ((pooled[k] as { first: boolean }).first) rankSumX += midRank;
    i = j + 1;
  }
  const u = rankSumX - (n1 * (n1 + 1)) / 2;
  const uOther = n1 * n2 - u;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return { u, uOther, z: 0, pGreater: 0.5 };
  const diff = u - mean;
  // Continuity correction: move half a unit towards the mean, never past it.
  const corrected = diff > 0 ? Math.max(0, diff - 0.5) : Math.min(0, diff + 0.5);
  const z = corrected / Math.sqrt(variance);
  return { u, uOther, z, pGreater: 1 - normalCdf(z) };
}
