/**
 * Staff see students' interactive ramp days (mounted at /staff behind requireStaff): the runs of a
 * simulator exercise, all or one student's, and one run replayed read-only from its seed and
 * decisions, with the day's scenario named (students learn it only when their day is over) and every
 * decision with the evidence it cited. Nothing here changes a run.
 */
import { Router } from "express";
import { z } from "zod";
import type { AppContext } from "../../context";
import { notFound } from "../../http/errors";
import { renderPage } from "../../http/render";
import { scenarioForSeed } from "../../../grader/rollout-sim/interactive";
import { exerciseFrom } from "../exercises/access";
import { findRun, listExerciseRuns, MAX_LISTED } from "../../simulator/runs";
import { replayCached } from "../../simulator/replay-cache";
import { chartsFor, GROUP_OPTIONS, METRIC_OPTIONS, parseGroup } from "../simulator/view-model";

const listQuery = z.object({
  /** A user id: only that student's days. Anything else lists everyone's. */
  student: z.coerce.number().int().positive().optional().catch(undefined),
});

/** How a finished day ended, in a few words; undefined while it runs. */
function endOf(outcome: { end: string; rollbackPercent: number | null; endMinute: number | null } | null) {
  if (!outcome) return undefined;
  if (outcome.end === "rolled-back") return `rolled back at ${outcome.rollbackPercent}% (minute ${outcome.endMinute})`;
  if (outcome.end === "completed") return `reached 100% at minute ${outcome.endMinute}`;
  return "still ramping when the day ended";
}

export function rampDayRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get("/exercises/:id/ramp-days", (req, res) => {
    const entry = exerciseFrom(ctx, req);
    if (entry.exercise.kind !== "rollout-simulator") throw notFound("That simulator");
    const { student } = listQuery.parse(req.query);
    const runs = listExerciseRuns(ctx.db, entry.exercise.id, student).map((run) => {
      const replayed = replayCached(run.seed, run.decisions);
      return {
        run,
        scenario: scenarioForSeed(run.seed).title,
        minutes: replayed.records.length,
        end: endOf(replayed.outcome),
      };
    });
    const studentName = student === undefined ? undefined : runs[0]?.run.studentName;
    renderPage(req, res, "review/ramp-days", {
      title: `Ramp days: ${entry.exercise.title}`,
      exercise: entry.exercise,
      runs,
      student,
      studentName,
      maxListed: MAX_LISTED,
    });
  });

  router.get("/ramp-days/:id", (req, res) => {
    const id = Number(req.params.id);
    const run = Number.isInteger(id) && id > 0 ? findRun(ctx.db, id) : undefined;
    const entry = run && ctx.course.exerciseById(run.exerciseId);
    if (!run || !entry) throw notFound("That ramp day");
    const replayed = replayCached(run.seed, run.decisions);
    const group = parseGroup(req.query.group);
    renderPage(req, res, "review/ramp-day", {
      title: `Ramp day ${run.id}: ${run.studentName}`,
      exercise: entry.exercise,
      run,
      replayed,
      end: endOf(replayed.outcome),
      result: run.result,
      charts: chartsFor(replayed, group),
      group,
      groupOptions: GROUP_OPTIONS,
      metricOptions: METRIC_OPTIONS,
    });
  });

  return router;
}
