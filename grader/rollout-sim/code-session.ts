/**
 * The TypeScript rollout policy's side of the sandbox (see grader/sandbox/session.ts). One execution
 * is one ramp day: the session sends the module's `plan` to the grader (`ramp.begin`), and each answer
 * is a look at the day (the step, and the minutes since the previous look); it keeps the step's
 * minutes, asks the student's `decide(view)`, and sends the decision back (`ramp.decide`) until the
 * grader answers that the day is over. The grader simulates the day and keeps the record the judge
 * reads; nothing this side says about the day is believed, and it could only change the decisions,
 * which are the student's anyway. `flagship:rollout` provides the metric names and group keys.
 * Shipped as text, so self-contained.
 */
import type { Session, SessionEnv } from "../sandbox/session";

export function rolloutSession(env: SessionEnv): Session {
  "use strict";
  // Must stay identical to METRICS in ./policy-schema.ts and GROUP_KEYS in ./simulate.ts.
  const METRICS = ["errorRate", "latencyP50", "latencyP95", "latencyP99", "shownRate", "receivedRate"];
  const GROUPS = [
    "all",
    "city:metro",
    "city:riverside",
    "city:harbor",
    "appVersion:5.1",
    "appVersion:5.0",
    "appVersion:4.9",
  ];
  type Look = {
    step: number;
    percent: number;
    minute: number;
    minutesInStep: number;
    bakeMinutes: number;
    minutes: unknown[];
  };
  const provided = { METRICS: METRICS.slice(), GROUPS: GROUPS.slice() };
  return {
    moduleName: "flagship:rollout",
    provided,
    async invoke(exports) {
      const exported = exports["decide"];
      if (typeof exported !== "function") throw new Error("the module does not export a decide function");
      const decide = exported as (view: unknown) => unknown;
      const plan = exports["plan"];
      let reply = (await env.call("ramp", "begin", [plan === undefined ? null : plan])) as { look?: Look } | null;
      let step = -1;
      let minutes: unknown[] = [];
      while (reply && reply.look) {
        const look = reply.look;
        if (look.step !== step) {
          step = look.step;
          minutes = [];
        }
        for (const m of look.minutes) minutes.push(m);
        const view = {
          step: look.step,
          percent: look.percent,
          minute: look.minute,
          minutesInStep: look.minutesInStep,
          bakeMinutes: look.bakeMinutes,
          minutes: minutes.slice(),
        };
        const decision: unknown = await decide(view);
        reply = (await env.call("ramp", "decide", [decision === undefined ? null : decision])) as {
          look?: Look;
        } | null;
      }
      return "day over";
    },
  };
}
