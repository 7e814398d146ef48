/**
 * The staff page about grading itself (/staff/grading): how many submissions wait and for how long,
 * how many grader workers are alive, how many verdicts a minute come back, and how many gradings the
 * machinery could not finish. On either backend; the same figures as the Prometheus metrics.
 */
import { Router } from "express";
import type { AppContext } from "../../context";
import { renderPage } from "../../http/render";
import { queueStats } from "../../queue/stats";

export function gradingRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get("/grading", async (req, res) => {
    renderPage(req, res, "grading", { title: "Grading queue", stats: await queueStats(ctx.db, ctx.queue) });
  });
  return router;
}
