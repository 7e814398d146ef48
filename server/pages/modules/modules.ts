import { Router } from "express";
import type { AppContext } from "../../context";
import { currentUser } from "../../auth/guards";
import { notFound } from "../../http/errors";
import { renderPage } from "../../http/render";
import { recordVisit } from "./progress";
import { exerciseStatuses } from "../exercises/status";

export function moduleRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get("/modules/:id", (req, res) => {
    const modules = ctx.course.modules;
    const index = modules.findIndex((m) => m.id === req.params.id);
    const module = modules[index];
    if (!module) throw notFound("That module");
    const userId = currentUser(req).id;
    recordVisit(ctx.db, userId, module.id);
    const statuses = exerciseStatuses(ctx.db, ctx.course, userId);
    renderPage(req, res, "module", {
      title: module.title,
      module,
      previous: modules[index - 1] ?? null,
      next: modules[index + 1] ?? null,
      exercises: ctx.course.exercisesForModule(module.id).map((e) => statuses.get(e.exercise.id)!),
    });
  });
  return router;
}
