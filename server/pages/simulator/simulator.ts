/**
 * The interactive ramp day (rollout-simulator exercises): start a run on your own seed (or one you
 * type, to replay what a student saw), then advance, hold or roll back, each decision citing a metric
 * and a group. Everything is a form post (CSRF-checked) that lands back on the page, so it works
 * without JavaScript. The run is stored as its seed and decisions and replayed on every view.
 */
import { Router, type Request, type Response } from "express";
import { z } from "zod";
import type { AppContext } from "../../context";
import type { CourseExercise } from "../../course";
import { currentUser } from "../../auth/guards";
import { notFound } from "../../http/errors";
import { flash, renderPage } from "../../http/render";
import { validate, type FieldIssue } from "../../../grader/validation";
import { combineSeeds } from "../../../grader/rollout-sim/prng";
import { decisionSchema, INTERACTIVE_STEPS, BLOCK_MINUTES } from "../../../grader/rollout-sim/interactive";
import { gradeInteractiveRun } from "../../../grader/rollout-sim/interactive-grade";
import type { RolloutSimulatorBody } from "../../../grader/rollout-sim/kind";
import { exerciseFrom } from "../exercises/access";
import { countRuns, listRuns, saveRun, startRun } from "../../simulator/runs";
import { replayCached } from "../../simulator/replay-cache";
import { chartsFor, GROUP_OPTIONS, METRIC_OPTIONS, parseGroup } from "./view-model";

export const MAX_SEED = 999_999_999;
/** Ramp days one person may start per exercise: far more than practice needs, few enough that a script cannot fill the table. */
export const MAX_RUNS = 500;

function simulatorExercise(
  ctx: AppContext,
  req: Request,
): CourseExercise & { exercise: { body: RolloutSimulatorBody } } {
  const entry = exerciseFrom(ctx, req);
  if (entry.exercise.kind !== "rollout-simulator") throw notFound("That simulator");
  return entry as CourseExercise & { exercise: { body: RolloutSimulatorBody } };
}

const startSchema = z.strictObject({
  _csrf: z.string().optional(),
  /** Empty: the student's own next seed. */
  seed: z.union([z.literal(""), z.coerce.number().int().min(0).max(MAX_SEED)]).optional(),
});

/** A student's n-th run of an exercise gets its own seed, the same every time it is computed. */
function ownSeed(userId: number, exerciseId: string, runNumber: number): number {
  const exerciseHash = [...exerciseId].reduce((h, c) => combineSeeds(h, c.charCodeAt(0)), 19);
  return combineSeeds(exerciseHash, userId, runNumber) % 1_000_000;
}

interface PageState {
  issues?: FieldIssue[];
  values?: Record<string, string>;
}

function renderSimulator(
  ctx: AppContext,
  req: Request,
  res: Response,
  entry: CourseExercise & { exercise: { body: RolloutSimulatorBody } },
  state: PageState = {},
): void {
  const user = currentUser(req);
  const runs = listRuns(ctx.db, user.id, entry.exercise.id);
  const current = runs[0];
  const replayed = current ? replayCached(current.seed, current.decisions) : undefined;
  const group = parseGroup(req.query.group ?? state.values?.group);
  renderPage(req, res, "simulator", {
    title: `Ramp day: ${entry.exercise.title}`,
    exercise: entry.exercise,
    module: ctx.course.moduleById(entry.exercise.module),
    run: current,
    replayed,
    result: current?.result ?? null,
    charts: replayed ? chartsFor(replayed, group) : [],
    group,
    groupOptions: GROUP_OPTIONS,
    metricOptions: METRIC_OPTIONS,
    steps: INTERACTIVE_STEPS,
    blockMinutes: BLOCK_MINUTES,
    pastRuns: runs.slice(1),
    issueMap: Object.fromEntries((state.issues ?? []).map((i) => [i.path, i.message])),
    values: state.values ?? {},
  });
}

/** A posted form value as the text it was, or empty when it is missing or not text. */
const postedText = (value: unknown): string => (typeof value === "string" ? value : "");

export function simulatorRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get("/exercises/:id/simulator", (req, res) => {
    renderSimulator(ctx, req, res, simulatorExercise(ctx, req));
  });

  router.post("/exercises/:id/simulator/runs", (req, res) => {
    const entry = simulatorExercise(ctx, req);
    const user = currentUser(req);
    const parsed = validate(startSchema, req.body ?? {});
    if (!parsed.ok) {
      res.status(400);
      return renderSimulator(ctx, req, res, entry, {
        issues: parsed.issues,
        values: { seed: postedText((req.body as Record<string, unknown> | undefined)?.seed) },
      });
    }
    const runs = countRuns(ctx.db, user.id, entry.exercise.id);
    if (runs >= MAX_RUNS) {
      res.status(409);
      return renderSimulator(ctx, req, res, entry, {
        issues: [
          {
            path: "seed",
            message: `you have started ${runs} ramp days of this exercise, the most one person may; ask staff if you need more`,
          },
        ],
      });
    }
    const chosen = parsed.data.seed;
    const seed = typeof chosen === "number" ? chosen : ownSeed(user.id, entry.exercise.id, runs + 1);
    startRun(ctx.db, user.id, entry.exercise.id, seed);
    flash(req, { kind: "success", message: `A new ramp day has started on seed ${seed}.` });
    res.redirect(303, `/exercises/${entry.exercise.id}/simulator#run`);
  });

  router.post("/exercises/:id/simulator/decisions", (req, res) => {
    const entry = simulatorExercise(ctx, req);
    const user = currentUser(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const current = listRuns(ctx.db, user.id, entry.exercise.id)[0];
    if (!current || current.result !== null || postedText(body.runId) !== String(current.id)) {
      // A decision for a run that is over, or from a page left open on an older run: change nothing.
      flash(req, {
        kind: "error",
        message: "That decision was not recorded: the run it was for is over. Start a new ramp day below.",
      });
      return res.redirect(303, `/exercises/${entry.exercise.id}/simulator`);
    }
    const note = typeof body.note === "string" && body.note.trim() !== "" ? body.note : undefined;
    // An empty choice is the form's "choose…" option: say what is missing rather than list every metric.
    const metric = body.metric === "" ? undefined : body.metric;
    const parsed = validate(decisionSchema, {
      action: body.action,
      metric,
      group: body.group,
      ...(note === undefined ? {} : { note }),
    });
    if (!parsed.ok) {
      for (const issue of parsed.issues)
        if (issue.path === "metric" && metric === undefined) issue.message = "choose the metric your decision rests on";
      res.status(400);
      const values = Object.fromEntries(
        ["metric", "group", "note"].map((k) => [k, typeof body[k] === "string" ? body[k] : ""]),
      );
      return renderSimulator(ctx, req, res, entry, { issues: parsed.issues, values });
    }
    const decisions = [...current.decisions, parsed.data];
    const replayed = replayCached(current.seed, decisions);
    const result = gradeInteractiveRun(replayed, entry.exercise.body.grading);
    saveRun(ctx.db, current.id, decisions, result);
    res.redirect(
      303,
      `/exercises/${entry.exercise.id}/simulator?group=${encodeURIComponent(parsed.data.group)}#${result ? "run-result" : "decide"}`,
    );
  });

  return router;
}
