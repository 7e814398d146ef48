/**
 * Roster management for instructors: add users, change roles, reset passwords, deactivate.
 * Generated passwords are shown once in a flash message and never stored or logged in plain text.
 */
import { Router, type Request, type Response } from "express";
import { z } from "zod";
import type { AppContext } from "../../context";
import { currentUser } from "../../auth/guards";
import { notFound } from "../../http/errors";
import { flash, renderPage } from "../../http/render";
import type { FormState } from "../../http/page-models";
import { fieldErrors } from "../../http/form-errors";
import { postedFields, postedStrings } from "../../http/posted";
import {
  DuplicateEmailError,
  createUser,
  emailSchema,
  findUserById,
  rosterPage,
  nameSchema,
  resetPassword,
  roleSchema,
  setActive,
  setRole,
  type User,
} from "../../users/users";

const addUserSchema = z.object({ email: emailSchema, name: nameSchema, role: roleSchema });
const idParam = z.object({ id: z.coerce.number().int().positive() });
/** Forgiving, like every filter: a search that is not one text is none, a page that is not a number the first. */
const rosterQuery = z.object({
  q: z
    .string()
    .transform((q) => q.slice(0, 120))
    .optional()
    .catch(undefined),
  page: z.coerce.number().int().catch(1),
});

function targetUser(ctx: AppContext, req: Request): User {
  const parsed = idParam.safeParse(req.params);
  const user = parsed.success ? findUserById(ctx.db, parsed.data.id) : undefined;
  if (!user) throw notFound("That user");
  return user;
}

/**
 * Instructors may not lock themselves out by demoting or deactivating their own account. The roster
 * offers neither on your own row; a crafted request is answered on the roster, not an error page.
 */
function refusedSelf(req: Request, res: Response, user: User, action: string): boolean {
  if (user.id !== currentUser(req).id) return false;
  flash(req, { kind: "error", message: `You cannot ${action} your own account; ask another instructor.` });
  res.redirect(303, "/admin/users");
  return true;
}

/** Destructive roster actions act only on the second, confirming post (views/instructor/confirm.ejs). */
function confirmed(req: Request): boolean {
  return postedFields(req.body).confirm === "yes";
}

export function adminUserRoutes(ctx: AppContext): Router {
  const router = Router();

  const renderRoster = (req: Request, res: Response, form: FormState, search: { q?: string; page?: number } = {}) => {
    const roster = rosterPage(ctx.db, { query: search.q, page: search.page });
    renderPage(req, res, "admin-users", {
      title: "Roster",
      roster,
      users: roster.users,
      q: search.q?.trim() ?? "",
      form,
      roles: roleSchema.options,
    });
  };

  router.get("/users", (req, res) => {
    const { q, page } = rosterQuery.parse(req.query);
    renderRoster(req, res, { values: { email: "", name: "", role: "student" }, errors: {} }, { q, page });
  });

  router.post("/users", async (req, res) => {
    const parsed = addUserSchema.safeParse(req.body);
    const posted = postedStrings(req.body, ["email", "name", "role"]);
    const values = { ...posted, role: posted.role || "student" };
    if (!parsed.success) {
      res.status(400);
      return renderRoster(req, res, { values, errors: fieldErrors(parsed.error) });
    }
    try {
      const { user, password } = await createUser(ctx.db, parsed.data);
      req.log.info({ event: "user_added", userId: user.id, role: user.role }, "user added");
      flash(req, {
        kind: "success",
        message: `Added ${user.email} as ${user.role}. Their password (shown once):`,
        secret: password,
      });
      res.redirect("/admin/users");
    } catch (err) {
      if (!(err instanceof DuplicateEmailError)) throw err;
      res.status(409);
      renderRoster(req, res, { values, errors: { email: `is already on the roster (${parsed.data.email})` } });
    }
  });

  router.post("/users/:id/role", (req, res) => {
    const user = targetUser(ctx, req);
    const role = roleSchema.safeParse(postedFields(req.body).role);
    if (!role.success) {
      flash(req, { kind: "error", message: `Role of ${user.email} not changed: choose student, ta or instructor.` });
      return res.redirect(303, "/admin/users");
    }
    if (refusedSelf(req, res, user, "change the role of")) return;
    setRole(ctx.db, user.id, role.data);
    flash(req, { kind: "success", message: `${user.email} is now ${role.data}.` });
    res.redirect("/admin/users");
  });

  router.post("/users/:id/reset-password", async (req, res) => {
    const user = targetUser(ctx, req);
    if (!confirmed(req)) {
      return renderPage(req, res, "instructor/confirm", {
        title: "Reset password",
        question: `Reset the password of ${user.name} (${user.email})?`,
        consequence: "Their current password stops working at once; you will see the new one once, to hand to them.",
        action: `/admin/users/${user.id}/reset-password`,
        fields: {},
        confirmLabel: "Yes, reset the password",
        cancelHref: "/admin/users",
      });
    }
    const password = await resetPassword(ctx.db, user.id);
    req.log.info({ event: "password_reset", userId: user.id }, "password reset");
    flash(req, { kind: "success", message: `New password for ${user.email} (shown once):`, secret: password });
    res.redirect("/admin/users");
  });

  router.post("/users/:id/active", (req, res) => {
    const user = targetUser(ctx, req);
    const active = postedFields(req.body).active === "1";
    if (!active && refusedSelf(req, res, user, "deactivate")) return;
    if (!active && !confirmed(req)) {
      return renderPage(req, res, "instructor/confirm", {
        title: "Deactivate account",
        question: `Deactivate ${user.name} (${user.email})?`,
        consequence:
          "They can no longer sign in. Their submissions and grades are kept, and you can reactivate them later.",
        action: `/admin/users/${user.id}/active`,
        fields: { active: "0" },
        confirmLabel: "Yes, deactivate",
        cancelHref: "/admin/users",
      });
    }
    setActive(ctx.db, user.id, active);
    flash(req, {
      kind: "success",
      message: `${user.email} is ${active ? "active again" : "deactivated; their work is kept"}.`,
    });
    res.redirect("/admin/users");
  });

  return router;
}
