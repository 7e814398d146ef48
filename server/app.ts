/**
 * Builds the express app from an AppContext. Middleware order matters and is kept in this one place:
 * security headers, request logging, static files, body parsing, session, passport, CSRF, then the
 * route groups, each behind its role guard, then 404 and the error handler.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { join } from "node:path";
import express from "express";
import session from "express-session";
import helmet from "helmet";
import { pinoHttp } from "pino-http";
import type { AppContext } from "./context";
import { configurePassport } from "./auth/passport";
import { SqliteSessionStore } from "./auth/session-store";
import { csrfProtection } from "./auth/csrf";
import { requireInstructor, requireSignedIn, requireStaff, requireStudent } from "./auth/guards";
import { errorHandler, notFoundHandler } from "./http/error-handler";
import { authRoutes } from "./pages/auth/auth";
import { homeRoutes } from "./pages/home/home";
import { moduleRoutes } from "./pages/modules/modules";
import { adminUserRoutes } from "./pages/admin-users/admin-users";
import { healthRoutes } from "./pages/health/health";
import { exerciseRoutes } from "./pages/exercises/exercises";
import { simulatorRoutes } from "./pages/simulator/simulator";
import { apiRoutes } from "./pages/api/api";
import { reviewRoutes } from "./pages/review/review";
import { rampDayRoutes } from "./pages/review/ramp-days";
import { regradeRequestRoutes } from "./pages/regrades/regrades";
import { gradingRoutes } from "./pages/grading/grading";
import { viewHelpers } from "./http/view-helpers";
import { projectRoot } from "./paths";
import { deadlineLocals } from "./deadlines/student-locals";
import { instructorRoutes } from "./pages/instructor/instructor";
import { multipartFields } from "./pages/admin-users/multipart";
import { refuseDeepJson } from "./http/json-depth";
import { ltiLaunchRoutes } from "./lti/routes/launch";
import { ltiAdminRoutes } from "./lti/routes/admin";
import { ltiStaffRoutes } from "./lti/routes/staff";
import { frameAncestors } from "./lti/platforms";

export function createApp(ctx: AppContext, options: { sessionSecret: string }): express.Express {
  const { config, db, logger } = ctx;
  const development = config.NODE_ENV === "development";
  const app = express();

  app.set("trust proxy", config.TRUST_PROXY);
  app.set("view engine", "ejs");
  app.set("views", join(projectRoot, "views"));
  // Compiled once, in development too (`npm start` is how a course runs its demo): compiling a page's
  // templates on every request cost more than everything else a module page does. Edit a view, restart.
  app.set("view cache", true);
  app.disable("x-powered-by");
  app.locals.helpers = viewHelpers({ imageHosts: config.MARKDOWN_IMAGE_HOSTS });

  app.use((_req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString("base64");
    next();
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // The code editor (CodeMirror) injects its theme as a <style> element; it carries this
          // request's nonce, so no other inline style is allowed.
          styleSrc: ["'self'", (_req, res) => `'nonce-${(res as express.Response).locals.cspNonce as string}'`],
          // The Markdown image policy, enforced again by the browser: our files, or the allow-list.
          imgSrc: ["'self'", "data:", ...config.MARKDOWN_IMAGE_HOSTS.map((host) => `https://${host}`)],
          formAction: ["'self'"],
          // Registered LMSs show Flagship in an iframe; nobody else may frame it.
          frameAncestors: [() => frameAncestors(db)],
          objectSrc: ["'none'"],
          // Only meaningful behind TLS; on plain http://localhost it would break every subresource.
          upgradeInsecureRequests: config.TRUST_PROXY > 0 ? [] : null,
        },
      },
    }),
  );

  app.use(
    pinoHttp({
      logger,
      genReqId: (_req, res) => {
        const id = randomUUID();
        res.setHeader("X-Request-Id", id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === "/healthz" || req.url?.startsWith("/static/") === true },
      // One short line per request: headers would bury the first start's demo passwords and the
      // query string can hold a student's name, so only what tells requests apart is kept.
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          path: req.url.split("?")[0],
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );

  app.use("/static", express.static(join(projectRoot, "views", "static"), { maxAge: development ? 0 : "1h" }));
  app.use("/assets", express.static(join(projectRoot, "dist", "public"), { maxAge: development ? 0 : "1h" }));
  app.use(healthRoutes(ctx));

  app.use(express.urlencoded({ extended: true, limit: config.BODY_LIMIT_BYTES, parameterLimit: 5000 }));
  app.use(express.json({ limit: config.BODY_LIMIT_BYTES, verify: refuseDeepJson }));
  app.use("/admin/users/import", multipartFields(config.BODY_LIMIT_BYTES));
  // A body of a type no parser reads (text/plain, or multipart outside the roster upload) leaves
  // req.body undefined in express 5; handlers then see an empty form, answered as missing fields.
  app.use((req, _res, next) => {
    if (req.body === undefined) req.body = {};
    next();
  });

  app.use(
    session({
      name: "flagship.sid",
      secret: options.sessionSecret,
      store: new SqliteSessionStore(db, { anonymousTtlMs: config.ANONYMOUS_SESSION_MINUTES * 60_000 }),
      resave: false,
      saveUninitialized: false,
      rolling: true,
      proxy: config.TRUST_PROXY > 0,
      cookie: {
        httpOnly: true,
        sameSite: "lax",
        secure: "auto",
        maxAge: config.SESSION_MAX_AGE_HOURS * 60 * 60 * 1000,
      },
    }),
  );

  const passport = configurePassport(db);
  app.use(passport.initialize());
  app.use(passport.session());

  const csrf = csrfProtection(options.sessionSecret);

  // Every page can render a form, so every page gets a token and knows who is signed in. Before
  // sign-in the token lives in a signed cookie, so no visitor gets a session row (server/auth/csrf.ts).
  app.use((req, res, next) => {
    res.locals.user = req.user;
    res.locals.csrfToken = csrf.tokenFor(req);
    res.locals.path = req.path;
    next();
  });
  // An API client without a session is told to sign in (401) before its missing CSRF token is checked.
  app.use("/api", requireSignedIn);
  // The LMS posts logins and launches from its own origin, without our token: state and nonce guard them.
  app.use(ltiLaunchRoutes(ctx, ctx.ltiHooks));
  app.use(csrf.protect);
  app.use(deadlineLocals(db));

  app.use(authRoutes(ctx, passport, { secret: options.sessionSecret }));
  // Before the exercise pages: adds manual feedback to their submission page and takes regrade requests,
  // which are a student's to make (staff answer them, under /staff).
  app.use("/submissions/:id/regrades", requireStudent);
  app.use(requireSignedIn, regradeRequestRoutes(ctx));
  app.use(requireSignedIn, homeRoutes(ctx), moduleRoutes(ctx), exerciseRoutes(ctx), simulatorRoutes(ctx));
  app.use("/staff", requireStaff, reviewRoutes(ctx), gradingRoutes(ctx), rampDayRoutes(ctx));
  app.use("/api", apiRoutes(ctx));
  app.use("/admin", requireInstructor, adminUserRoutes(ctx));
  app.use("/admin", requireInstructor, instructorRoutes(ctx));
  app.use("/admin", requireInstructor, ltiAdminRoutes(ctx));
  app.use("/staff", requireStaff, ltiStaffRoutes(ctx));

  app.use(notFoundHandler());
  app.use(errorHandler({ logger, development, bodyLimitBytes: config.BODY_LIMIT_BYTES }));
  return app;
}
