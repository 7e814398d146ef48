/**
 * CSRF protection with csrf-sync (a synchronizer token), keeping the token where it costs nothing:
 * - signed in: in the session, which exists anyway;
 * - not signed in (the login form): in a cookie, HMAC-signed with the session secret, and in the
 *   form; a cross-site page can neither read the token nor forge the cookie's signature.
 * Before, the token always went into the session, so every cookieless request stored a session row
 * for a week. Now a session is stored only once someone signs in.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Request, RequestHandler } from "express";
import { csrfSync } from "csrf-sync";
import { readCookie } from "../http/cookies";
import { postedFields } from "../http/posted";

export const LOGIN_CSRF_COOKIE = "flagship.csrf";

export function csrfProtection(secret: string): { protect: RequestHandler; tokenFor: (req: Request) => string } {
  const key = createHmac("sha256", secret).update("flagship login csrf cookie").digest();
  const sign = (token: string) => createHmac("sha256", key).update(token).digest("base64url");

  const fromCookie = (req: Request): string | undefined => {
    const value = readCookie(req, LOGIN_CSRF_COOKIE);
    const dot = value?.lastIndexOf(".") ?? -1;
    if (!value || dot <= 0) return undefined;
    const token = value.slice(0, dot);
    const given = Buffer.from(value.slice(dot + 1));
    const expected = Buffer.from(sign(token));
    return given.length === expected.length && timingSafeEqual(given, expected) ? token : undefined;
  };

  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromRequest: (req) => {
      const fromBody = postedFields(req.body)._csrf;
      if (typeof fromBody === "string") return fromBody;
      const header = req.headers["x-csrf-token"];
      return typeof header === "string" ? header : undefined;
    },
    getTokenFromState: (req) => (req.user ? req.session.csrfToken : fromCookie(req)),
    storeTokenInState: (req, token) => {
      if (req.user) {
        req.session.csrfToken = token;
        return;
      }
      if (!token || !req.res) return;
      req.res.cookie(LOGIN_CSRF_COOKIE, `${token}.${sign(token)}`, {
        httpOnly: true,
        sameSite: "lax",
        secure: req.secure,
        path: "/",
      });
    },
  });
  return { protect: csrfSynchronisedProtection, tokenFor: (req) => generateToken(req) };
}
