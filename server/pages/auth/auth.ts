/** Sign in and sign out. Failed logins are throttled per account and per address. */
import { Router, type Request } from "express";
import type passport from "passport";
import { z } from "zod";
import type { AppContext } from "../../context";
import { LoginThrottle } from "../../auth/login-throttle";
import { invalidCredentialsMessage } from "../../auth/passport";
import { renderPage } from "../../http/render";
import type { User } from "../../users/users";

const loginSchema = z.object({
  email: z.string().trim().min(1, "Enter your email").max(254),
  password: z.string().min(1, "Enter your password").max(1024),
  next: z.string().optional(),
});

/** Only same-site paths, so the login form cannot be used as an open redirect. */
function safeNext(next: string | undefined): string {
  return next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/";
}

function authenticate(
  instance: passport.Authenticator,
  req: Request,
): Promise<{ user: User | false; message?: string }> {
  return new Promise((resolve, reject) => {
    instance.authenticate("local", (err: unknown, user: User | false, info?: { message?: string }) => {
      if (err) reject(err);
      else resolve({ user, message: info?.message });
    })(req, undefined as never, () => undefined);
  });
}

export function authRoutes(ctx: AppContext, instance: passport.Authenticator): Router {
  const router = Router();
  const throttle = new LoginThrottle(ctx.db, {
    maxFailures: ctx.config.LOGIN_MAX_FAILURES,
    windowMs: ctx.config.LOGIN_WINDOW_MINUTES * 60_000,
  });

  router.get("/login", (req, res) => {
    if (req.user) return res.redirect("/");
    renderPage(req, res, "login", { title: "Sign in", email: "", next: safeNext(String(req.query.next ?? "")), error: null });
  });

  router.post("/login", async (req, res, next) => {
    const parsed = loginSchema.safeParse(req.body);
    const email = typeof req.body?.email === "string" ? req.body.email.slice(0, 254) : "";
    const target = safeNext(typeof req.body?.next === "string" ? req.body.next : undefined);
    const fail = (status: number, error: string) => {
      res.status(status);
      renderPage(req, res, "login", { title: "Sign in", email, next: target, error });
    };
    if (!parsed.success) return fail(400, parsed.error.issues.map((i) => i.message).join(". "));

    const address = req.ip ?? "unknown";
    const waitMinutes = throttle.retryAfterMinutes(parsed.data.email, address);
    if (waitMinutes > 0) {
      res.setHeader("Retry-After", String(waitMinutes * 60));
      return fail(429, `Too many failed sign-in attempts. Try again in ${waitMinutes} minute${waitMinutes === 1 ? "" : "s"}.`);
    }
    try {
      const { user } = await authenticate(instance, req);
      if (!user) {
        throttle.recordFailure(parsed.data.email, address);
        req.log.info({ event: "login_failed" }, "login failed");
        return fail(401, invalidCredentialsMessage);
      }
      throttle.recordSuccess(parsed.data.email);
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
