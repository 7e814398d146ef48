/** Sign in and sign out. Attempts are reserved and limited by the sign-in policy (login-throttle.ts). */
import { Router, type Request } from "express";
import type passport from "passport";
import { z } from "zod";
import type { AppContext } from "../../context";
import { LoginThrottle, type LoginAttempt } from "../../auth/login-throttle";
import { KnownDevices } from "../../auth/known-device";
import { invalidCredentialsMessage } from "../../auth/passport";
import { renderPage } from "../../http/render";
import { postedStrings } from "../../http/posted";
import type { User } from "../../users/users";

const loginSchema = z.object({
  email: z.string().trim().min(1, "Enter your email").max(254),
  password: z.string().min(1, "Enter your password").max(1024),
  next: z.string().optional(),
});

/** Where to go after signing in; anything but one text value is no target. */
const loginQuery = z.object({ next: z.string().optional().catch(undefined) });

/** Only same-site paths, so the login form cannot be used as an open redirect. */
function safeNext(next: string | undefined): string {
  return next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/";
}

function authenticate(
  instance: passport.Authenticator,
  req: Request,
): Promise<{ user: User | false; message?: string }> {
  return new Promise((resolve, reject) => {
    // passport types the middleware it returns as `any`; the local strategy reads only the request.
    const middleware = instance.authenticate(
      "local",
      (err: unknown, user: User | false, info?: { message?: string }) => {
        if (err) reject(err instanceof Error ? err : new Error("signing in failed", { cause: err }));
        else resolve({ user, message: info?.message });
      },
    ) as (req: Request, res: undefined, next: () => void) => void;
    middleware(req, undefined, () => undefined);
  });
}

function waitText(ms: number): string {
  if (ms < 60_000) {
    const seconds = Math.ceil(ms / 1000);
    return `${seconds} second${seconds === 1 ? "" : "s"}`;
  }
  const minutes = Math.ceil(ms / 60_000);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

export function authRoutes(ctx: AppContext, instance: passport.Authenticator, options: { secret: string }): Router {
  const router = Router();
  const { config } = ctx;
  const throttle = new LoginThrottle(ctx.db, {
    maxFailures: config.LOGIN_MAX_FAILURES,
    windowMs: config.LOGIN_WINDOW_MINUTES * 60_000,
    addressMaxFailures: config.LOGIN_ADDRESS_MAX_FAILURES,
    accountFreeFailures: config.LOGIN_ACCOUNT_FREE_FAILURES,
    accountFirstDelayMs: config.LOGIN_ACCOUNT_FIRST_DELAY_SECONDS * 1000,
    accountMaxDelayMs: config.LOGIN_ACCOUNT_MAX_DELAY_MINUTES * 60_000,
  });
  const knownDevices = new KnownDevices(options.secret, config.LOGIN_KNOWN_DEVICE_DAYS * 24 * 60 * 60_000);

  router.get("/login", (req, res) => {
    if (req.user) return res.redirect("/");
    renderPage(req, res, "login", {
      title: "Sign in",
      email: "",
      next: safeNext(loginQuery.parse(req.query).next),
      error: null,
    });
  });

  router.post("/login", async (req, res, next) => {
    const parsed = loginSchema.safeParse(req.body);
    const posted = postedStrings(req.body, ["email", "next"]);
    const email = posted.email.slice(0, 254);
    const target = safeNext(posted.next);
    const fail = (status: number, error: string) => {
      res.status(status);
      renderPage(req, res, "login", { title: "Sign in", email, next: target, error });
    };
    if (!parsed.success) return fail(400, parsed.error.issues.map((i) => i.message).join(". "));

    const attempt: LoginAttempt = {
      email: parsed.data.email,
      address: req.ip ?? "unknown",
      knownDevice: knownDevices.deviceFor(req, parsed.data.email),
    };
    // Reserved before the slow hash, so simultaneous attempts cannot all slip under the limit.
    const reservation = throttle.reserve(attempt);
    if (!reservation.ok) {
      res.setHeader("Retry-After", String(Math.ceil(reservation.retryAfterMs / 1000)));
      req.log.info({ event: "login_throttled", knownDevice: !!attempt.knownDevice }, "login throttled");
      return fail(429, `Too many failed sign-in attempts. Try again in ${waitText(reservation.retryAfterMs)}.`);
    }
    try {
      const { user } = await authenticate(instance, req);
      if (!user) {
        req.log.info({ event: "login_failed" }, "login failed");
        return fail(401, invalidCredentialsMessage);
      }
      throttle.succeeded(reservation.id, attempt);
      knownDevices.remember(req, res, parsed.data.email);
      // req.login regenerates the session id, which defeats session fixation.
      req.login(user, (err) => {
        if (err) return next(err);
        req.log.info({ event: "login", userId: user.id }, "signed in");
        res.redirect(target);
      });
    } catch (err) {
      next(err);
    }
  });

  router.post("/logout", (req, res, next) => {
    req.logout((err) => {
      if (err) return next(err);
      req.session.destroy(() => {
        res.clearCookie("flagship.sid");
        res.redirect("/login");
      });
    });
  });

  return router;
}
