import { Router } from "express";
import type { AppContext } from "../../context";

/** 200 only when the database answers a query; load balancers and the README's smoke check use it. */
export function healthRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    try {
      ctx.db.prepare("SELECT 1").get();
      res.json({ status: "ok" });
    } catch {
      res.status(503).json({ status: "unavailable", error: "database did not answer" });
    }
  });
  return router;
}
