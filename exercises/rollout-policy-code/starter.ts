/**
 * A first try: ramp in big steps and roll back as soon as the treatment's error rate is above
 * control's at all. Change anything you like; the prompt explains every field.
 */
import type { Decision, Plan, StepView } from "flagship:rollout";

export const plan: Plan = {
  steps: [10, 50, 100],
  bakeMinutes: 20,
  warmupMinutes: 2,
  checkEveryMinutes: 1,
  watch: [{ metric: "errorRate", breakdown: "none" }],
};

export function decide(view: StepView): Decision {
  let errorsT = 0;
  let requestsT = 0;
  let errorsC = 0;
  let requestsC = 0;
  for (const minute of view.minutes) {
    errorsT += minute.treatment.all?.errors ?? 0;
    requestsT += minute.treatment.all?.requests ?? 0;
    errorsC += minute.control.all?.errors ?? 0;
    requestsC += minute.control.all?.requests ?? 0;
  }
  if (requestsT === 0 || requestsC === 0) return "hold";
  const treatment = errorsT / requestsT;
  const control = errorsC / requestsC;
  if (treatment > control)
    return {
      action: "rollback",
      metric: "errorRate",
      group: "all",
      evidence: `error rate ${(treatment * 100).toFixed(2)}% in the treatment against ${(control * 100).toFixed(2)}% in control`,
    };
  return "hold";
}
