/**
 * The last few replayed ramp days, by seed and decisions. A day is a pure function of those, so a
 * cached replay is exactly what replaying again would give; it saves the simulation on the redirect
 * after every decision and on each change of the cohort shown (a two-hour day is 120 simulated
 * minutes, 1–2 ms each on a busy machine). Small on purpose: a twelve-hour day holds a few MB.
 */
import { replayRun, type InteractiveDecision, type ReplayedRun } from "../../grader/rollout-sim/interactive";

const MAX_ENTRIES = 16;
const cache = new Map<string, ReplayedRun>();

export function replayCached(seed: number, decisions: readonly InteractiveDecision[]): ReplayedRun {
  const key = `${seed}:${JSON.stringify(decisions)}`;
  const hit = cache.get(key);
  if (hit) {
    // Most recently used last, so the oldest is the first key.
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const run = replayRun(seed, decisions);
  cache.set(key, run);
  while (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  return run;
}
