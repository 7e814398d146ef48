/**
 * The reference: the YAML exercise's reference policy written as a function. A sequential test on
 * errors over the whole service and per city, and Kayenta's Mann–Whitney test on p99, per minute.
 */
import type { GroupKey, GroupMinute, Minute, Plan, StepView, Decision } from "flagship:rollout";

export const plan: Plan = {
  steps: [1, 5, 25, 50, 100],
  bakeMinutes: 30,
  warmupMinutes: 5,
  checkEveryMinutes: 5,
  watch: [
    { metric: "errorRate", breakdown: "none" },
    { metric: "errorRate", breakdown: "city" },
    { metric: "latencyP99", breakdown: "none" },
  ],
};

const CITIES: GroupKey[] = ["city:metro", "city:riverside", "city:harbor"];

function arm(minutes: Minute[], side: "control" | "treatment", group: GroupKey): GroupMinute[] {
  const out: GroupMinute[] = [];
  for (const m of minutes) {
    const g = m[side][group];
    if (g) out.push(g);
  }
  return out;
}

/**
 * Sequential probability ratio test: given all the errors of both arms, is the treatment's share of
 * them what its share of requests predicts, or what it would be if it failed (1 + increase) times as often?
 */
function sprt(minutes: Minute[], group: GroupKey, alpha: number, beta: number, increase: number) {
  let failedT = 0;
  let totalT = 0;
  let failedC = 0;
  let totalC = 0;
  for (const g of arm(minutes, "treatment", group)) {
    failedT += g.errors ?? 0;
    totalT += g.requests;
  }
  for (const g of arm(minutes, "control", group)) {
    failedC += g.errors ?? 0;
    totalC += g.requests;
  }
  if (totalT === 0 || totalC === 0) return { worse: false, evidence: "no data yet" };
  const share0 = totalT / (totalT + totalC);
  const share1 = (totalT * (1 + increase)) / (totalT * (1 + increase) + totalC);
  const llr = failedT * Math.log(share1 / share0) + failedC * Math.log((1 - share1) / (1 - share0));
  const bound = Math.log((1 - beta) / alpha);
  return {
    worse: llr >= bound,
    evidence: `errors ${failedT}/${totalT} treatment vs ${failedC}/${totalC} control; SPRT log-likelihood ratio ${llr.toFixed(2)} (bound ${bound.toFixed(2)})`,
  };
}

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

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** One-sided Mann–Whitney U (normal approximation, tie and continuity corrections): is x larger than y? */
function mannWhitneyGreater(x: number[], y: number[]): number {
  const pooled = [...x.map((value) => ({ value, first: true })), ...y.map((value) => ({ value, first: false }))];
  pooled.sort((p, q) => p.value - q.value);
  const n1 = x.length;
  const n2 = y.length;
  const n = n1 + n2;
  let rankSum = 0;
  let ties = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && pooled[j + 1]!.value === pooled[i]!.value) j++;
    const midRank = (i + j + 2) / 2;
    const t = j - i + 1;
    ties += t * t * t - t;
    for (let k = i; k <= j; k++) if (pooled[k]!.first) rankSum += midRank;
    i = j + 1;
  }
  const u = rankSum - (n1 * (n1 + 1)) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - ties / (n * (n - 1)));
  if (variance <= 0) return 0.5;
  const diff = u - (n1 * n2) / 2;
  const corrected = diff > 0 ? Math.max(0, diff - 0.5) : Math.min(0, diff + 0.5);
  return 1 - 0.5 * (1 + erf(corrected / Math.sqrt(variance) / Math.SQRT2));
}

function p99Worse(minutes: Minute[], alpha: number, minEffect: number) {
  const values = (side: "control" | "treatment") =>
    arm(minutes, side, "all")
      .map((g) => g.p99)
      .filter((v): v is number => typeof v === "number");
  const t = values("treatment");
  const c = values("control");
  if (t.length < 2 || c.length < 2) return { worse: false, evidence: "too few minutes" };
  const p = mannWhitneyGreater(t, c);
  const mc = median(c);
  const effect = mc !== 0 ? (median(t) - mc) / Math.abs(mc) : 0;
  return {
    worse: p < alpha && effect >= minEffect,
    evidence: `p99 per minute: Mann–Whitney p=${p.toPrecision(2)}, median worse by ${(effect * 100).toFixed(1)}% over ${t.length} minutes`,
  };
}

export function decide(view: StepView): Decision {
  const all = sprt(view.minutes, "all", 0.0001, 0.05, 1);
  if (all.worse) return { action: "rollback", metric: "errorRate", group: "all", evidence: all.evidence };
  // Three cities, three questions: each is asked at a third of the significance level.
  for (const city of CITIES) {
    const verdict = sprt(view.minutes, city, 0.0001 / CITIES.length, 0.05, 2);
    if (verdict.worse) return { action: "rollback", metric: "errorRate", group: city, evidence: verdict.evidence };
  }
  const tail = p99Worse(view.minutes, 0.001, 0.15);
  if (tail.worse) return { action: "rollback", metric: "latencyP99", group: "all", evidence: tail.evidence };
  return "hold";
}
