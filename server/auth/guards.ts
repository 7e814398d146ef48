/**
 * One guard per role, applied to whole route groups in app.ts, so no handler repeats a permission
 * check. Browsers without a session are sent to the login page; API clients, and every /api path
 * whatever its Accept header, get 401 JSON.
 */
import type { NextFunction, Request, Response } from "express";
import { HttpError, forbidden } from "../http/errors";
import type { Role, User } from "../users/users";

const rank: Record<Role, number> = { student: 0, ta: 1, instructor: 2 };

function guard(admits: (role: Role) => boolean) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const user = req.user;
    if (!user) {
      if (wantsHtml(req)) return res.redirect(`/login?next=${encodeURIComponent(req.originalUrl)}`);
      return next(new HttpError(401, "unauthenticated", "Sign in first."));
    }
    if (!admits(user.role)) return next(forbidden());
    next();
  };
}

/** Anyone signed in, whatever their role: the lecture, the exercises and the API are staff's to read too. */
export const requireSignedIn = guard(() => true);
/** Students only, for what only a student does (asking for a regrade of their own work); staff get 403. */
export const requireStudent = guard((role) => role === "student");
export const requireStaff = guard((role) => rank[role] >= rank.ta);
export const requireInstructor = guard((role) => role === "instructor");

export function isStaff(user: User | undefined): boolean {
  return !!user && rank[user.role] >= rank.ta;
}

/** The signed-in user; only call behind a guard. */
export function currentUser(req: Request): User {
  if (!req.user) throw new HttpError(401, "unauthenticated", "Sign in first.");
  return req.user;
}

/** Under a router mounted at /api, req.path drops the mount; baseUrl + path is the whole path. */
export function isApiRequest(req: Request): boolean {
  const full = `${req.baseUrl}${req.path}`;
  return full === "/api" || full.startsWith("/api/");
}

export function wantsHtml(req: Request): boolean {
  if (isApiRequest(req)) return false;
  return req.accepts(["html", "json"]) === "html";
}
