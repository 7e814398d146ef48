/**
 * The instructor's deep-linking picker under /admin/lti/deep-linking/:id: choose modules and
 * exercises, then return them to the LMS in a signed response posted from the browser.
 */
import { Router, type Request, type Response } from "express";
import type { AppContext } from "../../context";
import { renderPage } from "../../http/render";
import { notFound } from "../../http/errors";
import { currentUser } from "../../auth/guards";
import { findPlatformById } from "../platforms";
import {
  contentItems,
  deepLinkingResponse,
  findDeepLinkRequest,
  useDeepLinkRequest,
  type Choice,
} from "../deep-linking";
import { toolUrls } from "../tool-urls";

function choicesFrom(body: unknown): Choice[] {
  const raw = (body as Record<string, unknown>).items;
  const values = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return values.flatMap((v): Choice[] => {
    const match = typeof v === "string" ? /^(module|exercise):([\w-]{1,100})$/.exec(v) : null;
    return match ? [{ kind: match[1] as Choice["kind"], id: match[2]! }] : [];
  });
}

export function ltiDeepLinkingRoutes(ctx: AppContext): Router {
  const router = Router();
  const { db, course } = ctx;

  const picker = (req: Request, res: Response, error: string | null) =>
    renderPage(req, res, "lti/deep-linking", {
      title: "Add Flagship to the LMS course",
      id: String(req.params.id),
      error,
      modules: course.modules.map((m) => ({
        id: m.id,
        title: m.title,
        exercises: course
          .exercisesForModule(m.id)
          .map((e) => ({ id: e.exercise.id, title: e.exercise.title, points: e.exercise.points })),
      })),
    });

  router.get("/lti/deep-linking/:id", (req, res) => {
    if (!findDeepLinkRequest(db, String(req.params.id), currentUser(req).id))
      throw notFound("That deep-linking request");
    picker(req, res, null);
  });

  router.post("/lti/deep-linking/:id", async (req, res) => {
    const request = findDeepLinkRequest(db, String(req.params.id), currentUser(req).id);
    const platform = request && findPlatformById(db, request.platformId);
    if (!request || !platform) throw notFound("That deep-linking request");
    const items = contentItems(course, choicesFrom(req.body), toolUrls(req).launch);
    if (items.length === 0) {
      res.status(400);
      return picker(req, res, "Choose at least one module or exercise.");
    }
    if (!useDeepLinkRequest(db, request.id)) throw notFound("That deep-linking request");
    const jwt = await deepLinkingResponse(db, platform, request, items);
    // The response is a form posted to the LMS: this page's CSP must let the form go there.
    const csp = String(res.getHeader("Content-Security-Policy") ?? "");
    res.setHeader(
      "Content-Security-Policy",
      csp.replace("form-action 'self'", `form-action 'self' ${new URL(request.returnUrl).origin}`),
    );
    renderPage(req, res, "lti/deep-linking-return", {
      title: "Return to the LMS",
      returnUrl: request.returnUrl,
      jwt,
      count: items.length,
    });
  });

  return router;
}
