/** The instructor area under /admin (mounted behind requireInstructor): the index and each area's routes. */
import { Router } from "express";
import type { AppContext } from "../../context";
import { renderPage } from "../../http/render";
import { deadlineRoutes } from "./deadlines";
import { rosterImportRoutes } from "../admin-users/roster-import-routes";
import { authoringRoutes } from "./authoring";
import { exportRoutes } from "./export";
import { analyticsRoutes } from "./analytics";

export function instructorRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get("/", (req, res) => renderPage(req, res, "instructor/index", { title: "Instructor" }));
  router.use(deadlineRoutes(ctx));
  router.use(rosterImportRoutes(ctx));
  router.use(authoringRoutes(ctx));
  router.use(exportRoutes(ctx));
  router.use(analyticsRoutes(ctx));
  return router;
}
