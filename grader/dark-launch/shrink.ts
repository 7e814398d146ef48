/**
 * Shrinking: from a failing input, try simpler ones and keep any that still fails the same rule, so
 * the student reads the simplest rider, trip and flag state that shows the bug rather than the first
 * random one that happened to.
 */
import type { FlagState } from "./contract";
import type { RideCase } from "./generate";

const SHORT_IDS = Array.from({ length: 30 }, (_, i) => `r${i + 1}`);

function flagSize(flag: FlagState): number {
  if (flag.mode === "off") return 0;
  if (flag.mode === "employees") return 1;
  return 2 + flag.percent / 100;
}

/** How complicated an input is to read; shrinking only ever moves to a smaller one. */
export function caseSize(c: RideCase): number {
  return (
    flagSize(c.flag) * 1000 +
    c.rider.id.length * 20 +
    (c.rider.employee ? 10 : 0) +
    (c.rider.priorityEligible ? 10 : 0) +
    c.trip.distanceKm +
    c.trip.minutes
  );
}

function smallerNumbers(n: number): number[] {
  return [...new Set([0, 1, Math.floor(n / 2), n - 1])].filter((m) => m >= 0 && m < n);
}

/** Simpler neighbours of an input, simplest kinds of change first. */
export function shrinkCandidates(c: RideCase): RideCase[] {
  const out: RideCase[] = [];
  const flags: FlagState[] = [{ mode: "off" }, { mode: "employees" }];
  if (c.flag.mode === "ramp") for (const p of smallerNumbers(c.flag.percent)) flags.push({ mode: "ramp", percent: p });
  for (const flag of flags) out.push({ ...c, flag });
  if (c.rider.employee) out.push({ ...c, rider: { ...c.rider, employee: false } });
  if (c.rider.priorityEligible) out.push({ ...c, rider: { ...c.rider, priorityEligible: false } });
  for (const d of smallerNumbers(c.trip.distanceKm)) out.push({ ...c, trip: { ...c.trip, distanceKm: d } });
  for (const m of smallerNumbers(c.trip.minutes)) out.push({ ...c, trip: { ...c.trip, minutes: m } });
  for (const id of SHORT_IDS) if (id.length < c.rider.id.length) out.push({ ...c, rider: { ...c.rider, id } });
  const size = caseSize(c);
  return out.filter((candidate) => caseSize(candidate) < size);
}

/**
 * Greedy shrinking: take the first simpler candidate that still fails, repeat until none does or the
 * budget of executions is spent. `stillFails` runs the candidate in the sandbox.
 */
export async function shrink(
  start: RideCase,
  stillFails: (c: RideCase) => Promise<boolean>,
  budget: number,
): Promise<{ smallest: RideCase; tried: number }> {
  let current = start;
  let tried = 0;
  let improved = true;
  while (improved && tried < budget) {
    improved = false;
    for (const candidate of shrinkCandidates(current)) {
      if (tried >= budget) break;
      tried++;
      if (await stillFails(candidate)) {
        current = candidate;
        improved = true;
        break;
      }
    }
  }
  return { smallest: current, tried };
}
