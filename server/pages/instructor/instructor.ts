/** The instructor area under /admin (mounted behind requireInstructor): the index and each area's routes. */
import { Router } from "express";
import type { AppContext } from "../../context";
import { renderPage } from "../../http/render";
import { deadlineRoutes } from "./deadlines";

export function instructorRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get("/", (req, res) => renderPage(req, res, "instructor/index", { title: "Instructor" }));
  router.use(deadlineRoutes(ctx));
  return router;
}
