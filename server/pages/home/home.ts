import { Router } from "express";
import type { AppContext } from "../../context";
import { currentUser } from "../../auth/guards";
import { renderPage } from "../../http/render";
import { visitedModuleIds } from "../modules/progress";
import { exerciseStatuses } from "../exercises/status";

export function homeRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get("/", (req, res) => {
    const userId = currentUser(req).id;
    const visited = visitedModuleIds(ctx.db, userId);
    const statuses = exerciseStatuses(ctx.db, ctx.course, userId);
    const modules = ctx.course.modules.map((m) => ({
      ...m,
      visited: visited.has(m.id),
      exercises: ctx.course.exercisesForModule(m.id).map((e) => statuses.get(e.exercise.id)!),
    }));
    renderPage(req, res, "home", {
      title: "Course home",
      modules,
      readCount: modules.filter((m) => m.visited).length,
    });
  });
  return router;
}
