/** Analytics pages: which exercises students struggle with, and per exercise which rules they miss. */
import { Router } from "express";
import type { AppContext } from "../../context";
import { renderPage } from "../../http/render";
import { exerciseStats } from "../../analytics/exercise-stats";
import { barChartSvg } from "../../analytics/svg-bar-chart";
import { isCodeExercise } from "../../course";
import { exerciseFrom } from "../exercises/access";

const percent = (share: number) => `${Math.round(share * 100)}%`;

export function analyticsRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get("/analytics", (req, res) => {
    const rows = ctx.course.exercises.map(({ exercise }) => {
      const stats = exerciseStats(ctx.db, ctx.course, exercise.id);
      return {
        id: exercise.id,
        title: exercise.title,
        students: stats.students,
        submissions: stats.submissions,
        mostMissed: stats.ruleMisses[0],
      };
    });
    renderPage(req, res, "instructor/analytics", { title: "Analytics", rows, percent });
  });

  router.get("/analytics/:id", (req, res) => {
    const entry = exerciseFrom(ctx, req);
    const { exercise } = entry;
    const stats = exerciseStats(ctx.db, ctx.course, exercise.id);
    const charts = {
      scores: barChartSvg({
        id: "chart-scores",
        title: `Final scores on ${exercise.title}`,
        desc: `Number of students per score range, out of ${exercise.points} points. ${stats.students} students.`,
        bars: stats.scoreHistogram.map((b) => ({ label: b.label, value: b.count })),
      }),
      attempts: barChartSvg({
        id: "chart-attempts",
        title: "Attempts per student",
        desc: "Number of students by how many attempts they made.",
        bars: stats.attempts.map((b) => ({ label: b.label, value: b.count })),
      }),
      rules: barChartSvg({
        id: "chart-rules",
        title: "Share of submissions that missed each rule",
        desc: stats.ruleMisses[0]
          ? `Most missed: ${stats.ruleMisses[0].name} (${percent(stats.ruleMisses[0].share)} of submissions).`
          : "No graded submissions yet.",
        max: 1,
        bars: stats.ruleMisses.map((r) => ({ label: r.name, value: r.share, display: percent(r.share) })),
      }),
      faults: barChartSvg({
        id: "chart-faults",
        title: "Fault combinations students' code fails most",
        desc: "Number of submissions with a failing execution under each set of injected faults.",
        bars: stats.faultCombos.map((b) => ({ label: b.label, value: b.count })),
      }),
    };
    renderPage(req, res, "instructor/analytics-exercise", {
      title: `Analytics: ${exercise.title}`,
      exercise,
      stats,
      charts,
      percent,
      isCode: isCodeExercise(entry),
    });
  });

  return router;
}
