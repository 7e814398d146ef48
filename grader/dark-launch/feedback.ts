/** Sentences that name the input showing a failure: the rider, the trip, the flag state, and both answers. */
import { bucketOf, describeFlag } from "./contract";
import type { RideCase } from "./generate";
import { expectedQuote, legacyQuote } from "./legacy";
import { yourAnswer, type RideRun } from "./judge";
import type { RuleId } from "./rules-schema";

function describeRider(c: RideCase): string {
  const who = c.rider.employee ? "an employee" : "not an employee";
  const eligible = c.rider.priorityEligible ? "eligible for priority" : "not eligible for priority";
  return `rider "${c.rider.id}" (bucket ${bucketOf(c.rider.id)}, ${who}, ${eligible}) asking for a ${c.trip.distanceKm} km, ${c.trip.minutes} min trip`;
}

const json = (value: unknown) => JSON.stringify(value);

export function failureMessage(rule: RuleId, run: RideRun, failingInputs: number, judgedInputs: number): string {
  const c = run.input;
  const legacy = legacyQuote(c);
  const count = ` (${failingInputs} of ${judgedInputs} inputs this rule judges failed; this is the simplest.)`;
  const flag = `With the flag ${describeFlag(c.flag)}, ${describeRider(c)}`;
  if (rule === "no-op-response")
    return `${flag} got ${json(yourAnswer(run))}, but the legacy handler answers ${json(legacy.response)}.${count}`;
  if (rule === "no-op-calls") {
    const names = (calls: { call: string }[]) => (calls.length ? calls.map((x) => x.call).join(", ") : "none");
    return `${flag} made the pricing calls [${names(run.pricingCalls)}] where the legacy handler makes [${names(legacy.calls)}].${count}`;
  }
  if (rule === "flag-on-keeps-legacy")
    return `${flag} got ${json(yourAnswer(run))}; apart from "priority" it must equal the legacy answer ${json(legacy.response)}.${count}`;
  return `${flag} got ${json(yourAnswer(run))} where ${json(expectedQuote(c, c.flag))} was expected.${count}`;
}
