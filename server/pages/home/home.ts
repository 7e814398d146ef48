import { Router } from "express";
import type { AppContext } from "../../context";
import { currentUser } from "../../auth/guards";
import { renderPage } from "../../http/render";
import { visitedModuleIds } from "../modules/progress";

export function homeRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get("/", (req, res) => {
    const visited = visitedModuleIds(ctx.db, currentUser(req).id);
    const modules = ctx.course.modules.map((m) => ({ ...m, visited: visited.has(m.id) }));
    renderPage(req, res, "home", {
      title: "Course home",
      modules,
      readCount: modules.filter((m) => m.visited).length,
    });
  });
  return router;
}
