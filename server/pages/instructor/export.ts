/** Grade export downloads: the gradebook CSV and the per-rule CSV, as attachments. */
import { Router, type Response } from "express";
import type { AppContext } from "../../context";
import { renderPage } from "../../http/render";
import { toCsv, type CsvValue } from "../../export/csv";
import { gradebookRows } from "../../export/gradebook";
import { ruleResultRows } from "../../export/rule-results";
import { authoringEntries } from "./authoring-list";

function sendCsv(res: Response, name: string, rows: CsvValue[][]): void {
  const date = new Date().toISOString().slice(0, 10);
  res.type("text/csv; charset=utf-8");
  res.setHeader("Content-Disposition", `attachment; filename="flagship-${name}-${date}.csv"`);
  // Grades are personal data: never keep them in a shared cache.
  res.setHeader("Cache-Control", "no-store");
  res.send(toCsv(rows));
}

export function exportRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get("/export", (req, res) => {
    renderPage(req, res, "instructor/export", {
      title: "Grade export",
      exercises: ctx.course.exercises.map((e) => ({ title: e.exercise.title, points: e.exercise.points })),
      // Exercise folders that failed to load have no column: say so rather than export without them.
      notLoaded: authoringEntries(ctx.course)
        .filter((e) => !e.loaded)
        .map((e) => e.folder),
    });
  });
  router.get("/export/grades.csv", (req, res) => {
    req.log.info({ event: "grades_exported" }, "gradebook exported");
    sendCsv(res, "grades", gradebookRows(ctx.db, ctx.course));
  });
  router.get("/export/rules.csv", (req, res) => {
    req.log.info({ event: "rule_results_exported" }, "rule results exported");
    sendCsv(res, "rule-results", ruleResultRows(ctx.db, ctx.course));
  });
  return router;
}
