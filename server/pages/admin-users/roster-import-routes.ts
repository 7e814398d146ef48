/** POST /admin/users/import: a roster CSV (uploaded file or pasted text) and the per-row report. */
import { csvDataUrl, importedPasswordsCsv } from "./password-csv";
import { Router } from "express";
import { z } from "zod";
import type { AppContext } from "../../context";
import { renderPage } from "../../http/render";
import { importRoster } from "./roster-import";

const importBody = z.object({
  file: z.string().optional().default(""),
  csv: z.string().optional().default(""),
});

export function rosterImportRoutes(ctx: AppContext): Router {
  const router = Router();
  router.post("/users/import", async (req, res) => {
    const parsed = importBody.safeParse(req.body ?? {});
    const body = parsed.success ? parsed.data : { file: "", csv: "" };
    // A chosen file wins over the text box; either is fine without JavaScript.
    const text = body.file.trim() !== "" ? body.file : body.csv;
    // Hashing a large roster takes a while; if the browser or a proxy gives up meanwhile, add nobody.
    const cancelled = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) cancelled.abort();
    });
    const report = await importRoster(ctx.db, text, cancelled.signal);
    if (cancelled.signal.aborted) {
      req.log.warn({ event: "roster_import_cancelled" }, "roster import cancelled by the client; nothing added");
      return;
    }
    if (!report.ok) {
      res.status(400);
      return renderPage(req, res, "instructor/roster-import", {
        title: "Roster import",
        error: report.message,
        rows: [],
        csv: body.csv,
      });
    }
    const added = report.rows.filter((r) => r.outcome === "added").length;
    req.log.info({ event: "roster_imported", added, skipped: report.rows.length - added }, "roster imported");
    const passwordsCsv = added ? csvDataUrl(importedPasswordsCsv(report.rows)) : undefined;
    renderPage(req, res, "instructor/roster-import", {
      title: "Roster import",
      error: undefined,
      rows: report.rows,
      added,
      csv: "",
      passwordsCsv,
    });
  });
  return router;
}
