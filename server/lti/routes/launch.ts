/**
 * The LMS-facing endpoints: keys, OIDC login initiation, the launch, and the same-browser step that
 * signs the person in. Mounted before the app's CSRF check: the login and launch posts come from the
 * LMS's origin and carry no Flagship token; the state and nonce (single use, bound to this browser by
 * the state cookie) are their protection instead.
 */
import { Router, type Request, type Response } from "express";
import { z } from "zod";
import type { AppContext } from "../../context";
import { renderPage } from "../../http/render";
import { validate } from "../../../grader/validation";
import { LaunchError } from "../launch-error";
import { publicJwks } from "../keys";
import { findPlatform, findPlatformById, platformsForIssuer } from "../platforms";
import { createState, loginOfState, loginParamsSchema, type LoginParams } from "../states";
import { verifyLaunch } from "../verify-launch";
import { claimLaunch, peekLaunch, storeLaunch } from "../launches";
import { applyLaunch } from "../apply-launch";
import { clearStateCookie, hasStateCookie, inFrame, setStateCookie } from "../cookies";
import { toolUrls } from "../tool-urls";
import { canvasConfig } from "../canvas-config";

const launchSchema = z.object({
  id_token: z
    .string()
    .min(1)
    .max(64 * 1024),
  state: z.string().min(1).max(256),
});

export interface LaunchHooks {
  /** Called after an instructor's launch into a course (the roster sync hangs here). */
  onInstructorLaunch?: (contextId: number) => void;
}

function refuse(req: Request, res: Response, err: LaunchError): void {
  req.log.info({ event: "lti_launch_refused", code: err.code }, "LTI launch refused");
  res.status(err.status);
  renderPage(req, res, "lti/refused", { title: "Launch refused", message: err.message, code: err.code });
}

function loginUrl(login: LoginParams): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(login)) if (typeof v === "string") params.set(k, v);
  return `/lti/login?${params.toString()}`;
}

export function ltiLaunchRoutes(ctx: AppContext, hooks: LaunchHooks = {}): Router {
  const router = Router();
  const { db } = ctx;

  router.get("/lti/jwks", async (_req, res) => {
    res.setHeader("Cache-Control", "public, max-age=60");
    res.json(await publicJwks(db));
  });

  router.get("/lti/canvas.json", (req, res) => {
    res.json(canvasConfig(toolUrls(req)));
  });

  const login = (req: Request, res: Response) => {
    const source: unknown = req.method === "GET" ? req.query : req.body;
    const checked = validate(loginParamsSchema, source);
    if (!checked.ok) {
      const list = checked.issues.map((i) => `${i.path}: ${i.message}`).join("; ");
      return refuse(req, res, new LaunchError("bad_login_request", `The LMS's login request is incomplete: ${list}.`));
    }
    const params = checked.data;
    const platform = params.client_id ? findPlatform(db, params.iss, params.client_id) : singlePlatform(params.iss);
    if (!platform) {
      return refuse(
        req,
        res,
        new LaunchError(
          "unknown_platform",
          `No LMS is registered with issuer ${params.iss}${params.client_id ? ` and client id ${params.client_id}` : ""}. An instructor registers it on Flagship's LMS page.`,
        ),
      );
    }
    if (params.lti_deployment_id && !platform.deploymentIds.includes(params.lti_deployment_id)) {
      return refuse(
        req,
        res,
        new LaunchError(
          "unknown_deployment",
          `The deployment ${params.lti_deployment_id} is not registered for ${platform.issuer}.`,
        ),
      );
    }
    const loginParams: LoginParams = { ...params, client_id: platform.clientId };
    const { state, nonce } = createState(db, platform.id, loginParams);
    setStateCookie(req, res, state);
    const auth = new URL(platform.authUrl);
    const query: Record<string, string | undefined> = {
      scope: "openid",
      response_type: "id_token",
      response_mode: "form_post",
      prompt: "none",
      client_id: platform.clientId,
      redirect_uri: toolUrls(req).launch,
      login_hint: params.login_hint,
      lti_message_hint: params.lti_message_hint,
      state,
      nonce,
    };
    for (const [k, v] of Object.entries(query)) if (v !== undefined) auth.searchParams.set(k, v);
    res.redirect(302, auth.toString());
  };
  const singlePlatform = (issuer: string) => {
    const found = platformsForIssuer(db, issuer);
    return found.length === 1 ? found[0] : undefined;
  };
  router.get("/lti/login", login);
  router.post("/lti/login", login);

  router.post("/lti/launch", async (req, res, next) => {
    const body = req.body as Record<string, unknown>;
    if (typeof body.error === "string") {
      const detail = typeof body.error_description === "string" ? `: ${body.error_description.slice(0, 500)}` : "";
      return refuse(
        req,
        res,
        new LaunchError("platform_error", `The LMS ended the login with ${body.error.slice(0, 100)}${detail}.`),
      );
    }
    const checked = validate(launchSchema, body);
    if (!checked.ok) {
      const list = checked.issues.map((i) => `${i.path}: ${i.message}`).join("; ");
      return refuse(
        req,
        res,
        new LaunchError("missing_id_token", `The launch is missing its id_token or state: ${list}.`),
      );
    }
    try {
      const verified = await verifyLaunch(db, { idToken: checked.data.id_token, state: checked.data.state });
      const ticket = storeLaunch(db, {
        state: verified.state.state,
        platformId: verified.platform.id,
        claims: verified.claims,
      });
      // A GET of our own: unlike the LMS's cross-site POST, it carries the state cookie even when it is Lax.
      res.redirect(303, `/lti/continue/${ticket}`);
    } catch (err) {
      if (err instanceof LaunchError) return refuse(req, res, err);
      next(err);
    }
  });

  router.get("/lti/continue/:ticket", async (req, res, next) => {
    const ticket = String(req.params.ticket);
    const pending = peekLaunch(db, ticket);
    if (!pending)
      return refuse(
        req,
        res,
        new LaunchError(
          "launch_expired",
          "This launch has expired or was already used. Open the link in the LMS again.",
        ),
      );
    if (!hasStateCookie(req, pending.state)) {
      const login = loginOfState(db, pending.state);
      // Third-party cookies blocked (or a Lax cookie inside a cross-site frame): start over in a window of our own.
      if (login && inFrame(req))
        return renderPage(req, res, "lti/new-window", { title: "Open in a new window", href: loginUrl(login) });
      return refuse(
        req,
        res,
        new LaunchError(
          "state_cookie_missing",
          "This browser did not keep the cookie Flagship set when the launch started, so the launch cannot be tied to you. Allow cookies for this site and open the link in the LMS again.",
        ),
      );
    }
    const launch = claimLaunch(db, ticket);
    const platform = launch && findPlatformById(db, launch.platformId);
    if (!launch || !platform)
      return refuse(
        req,
        res,
        new LaunchError(
          "launch_expired",
          "This launch has expired or was already used. Open the link in the LMS again.",
        ),
      );
    clearStateCookie(req, res, launch.state);
    try {
      const applied = await applyLaunch(db, ctx.course, platform, launch.claims, toolUrls(req).origin);
      req.login(applied.user, (err) => {
        if (err) return next(err);
        // Inside the LMS's frame behind TLS, the session must ride cross-site requests too; each form
        // still carries its CSRF token, which is what stops forged posts.
        if (inFrame(req) && req.secure) {
          req.session.cookie.sameSite = "none";
          req.session.cookie.secure = true;
        }
        req.log.info(
          { event: "lti_launch", userId: applied.user.id, platformId: platform.id },
          "signed in from the LMS",
        );
        if (applied.instructorLaunch && applied.context) hooks.onInstructorLaunch?.(applied.context.id);
        res.redirect(303, applied.path);
      });
    } catch (err) {
      if (err instanceof LaunchError) return refuse(req, res, err);
      next(err);
    }
  });

  return router;
}
