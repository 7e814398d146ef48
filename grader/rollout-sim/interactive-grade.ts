/**
 * Grades one interactive ramp day on the dimensions policy mode uses: was a real regression rolled
 * back, at what exposure and harm; was a healthy treatment rolled back for nothing; how long until
 * 100%; and does the evidence the rollback cites fit what actually went wrong. The words and lecture
 * links are the exercise's own (grading.yaml), looked up by the policy rule of the same lesson.
 */
import { finishResult, roundPoints, type GradingResult, type JsonValue, type TestResult } from "../result";
import { describeOutcome } from "./grade";
import type { RolloutGrading, RolloutRuleId } from "./grading-config";
import type { ReplayedRun } from "./interactive";
import { evidenceFits, HORIZON_MINUTES, type RunOutcome } from "./runner";
import type { Scenario } from "./scenarios";

/** The policy rule that teaches each scenario's lesson. */
const LESSON: Record<string, RolloutRuleId> = {
  "error-regression": "catches-error-regression",
  "p99-regression": "catches-p99-regression",
  "slow-leak": "catches-slow-leak",
  "cohort-regression": "catches-cohort-regression",
  noise: "no-rollback-on-noise",
  "global-incident": "no-rollback-on-global-incident",
};

/** Where the scenario's regression shows: the metric, and the cohort when it hides in one. */
function signalOf(scenario: Scenario): string {
  const where = scenario.breakdown ? ` in ${scenario.breakdown.dimension} ${scenario.breakdown.value}` : "";
  return `${scenario.visibleIn}${where}`;
}

function rollbackFits(scenario: Scenario, outcome: RunOutcome): boolean {
  return outcome.caught && outcome.trigger !== null && evidenceFits(scenario, outcome.trigger, { exactCohort: true });
}

export function gradeInteractiveRun(run: ReplayedRun, grading: RolloutGrading): GradingResult | null {
  const outcome = run.outcome;
  if (!outcome) return null;
  const { scenario } = run;
  const words = (id: RolloutRuleId) => grading.rules.find((r) => r.id === id);
  const lesson = words(LESSON[scenario.id] ?? "catches-error-regression");
  const test = (
    id: string,
    name: string,
    points: number,
    pass: boolean,
    message: string,
    from = lesson,
  ): TestResult => ({
    id,
    name,
    status: pass ? "pass" : "fail",
    points: pass ? points : 0,
    maxPoints: points,
    message,
    ...(from ? { link: from.link, ...(pass ? {} : { hint: from.hint }) } : {}),
  });
  const day = `This was “${scenario.title}”: ${scenario.description}`;
  const what = describeOutcome(outcome).replace(/^seed \d+: /, "");
  const tests: TestResult[] = [];
  if (scenario.regression) {
    tests.push(
      test(
        "catches-regression",
        "Rolls back the regression",
        2,
        outcome.caught,
        `${day} You ${outcome.caught ? "rolled it back" : "did not roll it back once it had begun"}: ${what}.`,
      ),
    );
    const early = outcome.caught && (outcome.rollbackPercent ?? 100) <= grading.maxCatchPercent;
    const exposure =
      outcome.rollbackPercent === null
        ? `No rollback: the regression reached ${run.percent}% of users`
        : `Exposure at the rollback: ${outcome.rollbackPercent}%`;
    tests.push(
      test(
        "caught-early",
        `Rolls back at ${grading.maxCatchPercent}% exposure or less`,
        2,
        early,
        `${exposure}; harm ${roundPoints(outcome.harm)} (full-service minutes of the full regression, over a ${HORIZON_MINUTES / 60}-hour day).`,
      ),
    );
    const fits = rollbackFits(scenario, outcome);
    const cited = outcome.trigger
      ? `${outcome.trigger.metric} (${outcome.trigger.group})`
      : "no evidence (there was no rollback)";
    tests.push(
      test(
        "evidence-fits",
        "Cites the evidence that shows the regression",
        2,
        fits,
        `The regression shows in ${signalOf(scenario)}; your rollback cited ${cited}.`,
      ),
    );
  } else {
    tests.push(
      test(
        "no-false-rollback",
        "Does not roll back a healthy treatment",
        3,
        !outcome.falseRollback,
        `${day} ${outcome.falseRollback ? `You rolled back: ${what}.` : `You kept going: ${what}.`}`,
      ),
    );
    const full = outcome.reachedFullAt !== null && outcome.reachedFullAt <= grading.maxMinutesToFull;
    const reach = words("reaches-full-rollout");
    tests.push(
      test(
        "reaches-full-rollout",
        `Reaches 100% within ${grading.maxMinutesToFull} minutes`,
        3,
        full,
        outcome.reachedFullAt === null
          ? "The treatment never reached 100%."
          : `Reached 100% at minute ${outcome.reachedFullAt}.`,
        reach,
      ),
    );
  }
  const details: JsonValue = {
    seed: run.seed,
    scenario: scenario.id,
    end: outcome.end,
    endMinute: outcome.endMinute,
    rollbackPercent: outcome.rollbackPercent,
    caught: outcome.caught,
    falseRollback: outcome.falseRollback,
    harm: roundPoints(outcome.harm),
    reachedFullAt: outcome.reachedFullAt,
    decisions: run.log.map((d) => ({
      minute: d.minute,
      percent: d.percent,
      action: d.action,
      metric: d.metric,
      group: d.group,
      ...(d.note ? { note: d.note } : {}),
    })),
  };
  return finishResult(tests, { details });
}
