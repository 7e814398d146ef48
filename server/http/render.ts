import type { Request, Response } from "express";
import type { PageModels, PageView } from "./page-models";

/** Flash messages survive one redirect (post/redirect/get) in the session. */
export interface Flash {
  kind: "success" | "error" | "info";
  message: string;
  /** Shown once, e.g. a generated password; never logged. */
  secret?: string;
}

declare module "express-session" {
  interface SessionData {
    flash?: Flash[];
  }
}

export function flash(req: Request, message: Flash): void {
  req.session.flash = [...(req.session.flash ?? []), message];
}

export function takeFlash(req: Request): Flash[] {
  const messages = req.session?.flash ?? [];
  if (req.session?.flash) delete req.session.flash;
  return messages;
}

/** Renders a page with the locals every layout needs (user, CSRF token, flash); typed per view in page-models.ts. */
export function renderPage<View extends PageView>(
  req: Request,
  res: Response,
  view: View,
  locals: PageModels[View],
): void {
  res.render(view, { flashes: takeFlash(req), ...locals });
}
