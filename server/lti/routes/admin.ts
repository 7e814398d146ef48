/**
 * The instructor's LMS page under /admin/lti: register platforms, see what to paste into the LMS,
 * rotate the tool's key.
 */
import { Router } from "express";
import { z } from "zod";
import type { AppContext } from "../../context";
import { flash, renderPage } from "../../http/render";
import { validate, type FieldIssue } from "../../../grader/validation";
import { listPlatforms, platformInputSchema, savePlatform } from "../platforms";
import { publicJwks, rotateKey } from "../keys";
import { toolUrls } from "../tool-urls";
import { canvasConfig } from "../canvas-config";
import { listContexts } from "../contexts";
import { ltiDeepLinkingRoutes } from "./deep-linking";
import { syncRoster } from "../nrps";
import { ServiceError } from "../service-error";

const formSchema = z.object({
  issuer: z.string().default(""),
  clientId: z.string().default(""),
  name: z.string().default(""),
  authUrl: z.string().default(""),
  tokenUrl: z.string().default(""),
  jwksUrl: z.string().default(""),
  lmsOrigin: z.string().default(""),
  deploymentIds: z.string().default(""),
});
type PlatformForm = z.infer<typeof formSchema>;

const emptyForm: PlatformForm = {
  issuer: "",
  clientId: "",
  name: "",
  authUrl: "",
  tokenUrl: "",
  jwksUrl: "",
  lmsOrigin: "",
  deploymentIds: "",
};

export function ltiAdminRoutes(ctx: AppContext): Router {
  const router = Router();
  const { db } = ctx;

  const page = async (
    req: Parameters<Parameters<typeof router.get>[1]>[0],
    res: Parameters<Parameters<typeof router.get>[1]>[1],
    form: PlatformForm,
    issues: FieldIssue[],
  ) => {
    const urls = toolUrls(req);
    const jwks = await publicJwks(db);
    renderPage(req, res, "lti/admin", {
      title: "LMS (LTI 1.3)",
      platforms: listPlatforms(db),
      contexts: listContexts(db),
      urls,
      canvasJson: JSON.stringify(canvasConfig(urls), null, 2),
      kids: jwks.keys.map((k) => k.kid ?? ""),
      form,
      // The first issue per field: "must be a URL" says more than what follows from it.
      errors: Object.fromEntries(
        [...issues].reverse().map((i): [string, string] => [i.path.split(/[.[]/)[0] ?? i.path, i.message]),
      ),
    });
  };

  router.get("/lti", async (req, res) => page(req, res, emptyForm, []));

  router.post("/lti/platforms", async (req, res) => {
    const form = formSchema.parse(
      Object.fromEntries(Object.entries(req.body as Record<string, unknown>).filter(([, v]) => typeof v === "string")),
    );
    const checked = validate(platformInputSchema, {
      ...form,
      deploymentIds: form.deploymentIds
        .split(/[\s,]+/)
        .map((d) => d.trim())
        .filter((d) => d !== ""),
    });
    if (!checked.ok) {
      res.status(400);
      return page(req, res, form, checked.issues);
    }
    const platform = savePlatform(db, checked.data);
    flash(req, {
      kind: "success",
      message: `Registered ${platform.name || platform.issuer} (client id ${platform.clientId}; deployments ${platform.deploymentIds.join(", ")}).`,
    });
    res.redirect(303, "/admin/lti");
  });

  router.post("/lti/rotate-key", async (req, res) => {
    const { kid, retired } = await rotateKey(db);
    flash(req, {
      kind: "success",
      message: `New signing key ${kid}. ${retired.length ? `The old key stays published for a day.` : ""}`,
    });
    res.redirect(303, "/admin/lti");
  });

  router.post("/lti/contexts/:id/roster-sync", async (req, res) => {
    const id = Number(req.params.id);
    try {
      const r = await syncRoster(db, Number.isInteger(id) ? id : 0);
      flash(req, {
        kind: "success",
        message: `Roster synced: ${r.active} active (${r.created} new), ${r.deactivated} deactivated, ${r.pages} page${r.pages === 1 ? "" : "s"} read.${r.skipped.length ? ` Unreadable entries skipped: ${r.skipped.join("; ")}.` : ""}`,
      });
    } catch (err) {
      if (!(err instanceof ServiceError)) throw err;
      flash(req, { kind: "error", message: `Roster sync failed: ${err.message}` });
    }
    res.redirect(303, "/admin/lti");
  });

  router.use(ltiDeepLinkingRoutes(ctx));
  return router;
}
