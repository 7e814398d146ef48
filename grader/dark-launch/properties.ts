/**
 * Properties of the ramp that no single input shows, judged over the 100-rider population (one rider
 * per bucket) asked at each ramp percentage, the first percentage twice:
 *  - sticky: a rider gets the same answer when asked again, and a rider in at a lower percentage is
 *    still in at every higher one (ramping up only adds riders);
 *  - share: the share of riders offered priority is within the tolerance of the percentage.
 */
import type { JsonValue } from "../result";
import { bucketOf, type Rider } from "./contract";
import type { RuleId } from "./rules-schema";

export interface PropertyOutcome {
  ok: boolean;
  message: string;
  counterexample?: JsonValue;
}

/**
 * `asked` lists the percentages in the order they were asked (the first one twice, then the rest in
 * ascending order); `offered[i][k]` says whether rider i was offered priority at `asked[k]`.
 */
export function rampProperties(
  riders: Rider[],
  asked: number[],
  offered: boolean[][],
  tolerance: number,
): Map<RuleId, PropertyOutcome> {
  const out = new Map<RuleId, PropertyOutcome>();
  out.set("ramp-sticky", sticky(riders, asked, offered));
  out.set("ramp-share", share(riders, asked, offered, tolerance));
  return out;
}

function sticky(riders: Rider[], asked: number[], offered: boolean[][]): PropertyOutcome {
  for (const [i, rider] of riders.entries()) {
    const answers = offered[i] ?? [];
    const runs = asked.map((percent, k) => ({ percent, offered: answers[k] ?? false }));
    const bucket = bucketOf(rider.id);
    const counterexample: JsonValue = { rider: { ...rider }, bucket, runs };
    if (answers[0] !== answers[1]) {
      return {
        ok: false,
        message: `Rider "${rider.id}" (bucket ${bucket}) asked twice at ${asked[0]}% was ${answers[0] ? "offered" : "not offered"} priority the first time and ${answers[1] ? "offered" : "not offered"} the second: the same rider must always get the same answer.`,
        counterexample,
      };
    }
    for (let k = 1; k < asked.length - 1; k++) {
      const lower = runs[k];
      const higher = runs[k + 1];
      if (lower?.offered && higher && !higher.offered) {
        return {
          ok: false,
          message: `Rider "${rider.id}" (bucket ${bucket}) was offered priority at ${lower.percent}% but not at ${higher.percent}%: ramping up must only ever add riders.`,
          counterexample,
        };
      }
    }
  }
  return { ok: true, message: "" };
}

function share(riders: Rider[], asked: number[], offered: boolean[][], tolerance: number): PropertyOutcome {
  // Index 0 is the first percentage asked a second time; each percentage is judged on its own run.
  for (let k = 1; k < asked.length; k++) {
    const percent = asked[k] ?? 0;
    const count = offered.filter((answers) => answers[k]).length;
    const shareInPoints = (count / riders.length) * 100;
    if (Math.abs(shareInPoints - percent) > tolerance) {
      return {
        ok: false,
        message: `At a ${percent}% ramp, ${count} of ${riders.length} eligible riders (one in each bucket 0 to 99) were offered priority: ${shareInPoints.toFixed(0)}%, more than ${tolerance} points away from ${percent}%.`,
        counterexample: { percent, riders: riders.length, offered: count, tolerance },
      };
    }
  }
  return { ok: true, message: "" };
}
