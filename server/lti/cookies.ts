/**
 * The state cookie binds a launch to the browser that started it. A launch arrives as a cross-site
 * POST from the LMS, often inside its iframe: behind TLS the cookie is SameSite=None; Secure, so the
 * framed, cross-site request still carries it; on plain http (development) browsers refuse None
 * without Secure, so it is Lax and the launch works in a top-level window (the new-window fallback).
 */
import type { Request, Response } from "express";
import { readCookie } from "../http/cookies";
import { STATE_TTL_MS } from "./states";

const cookieName = (state: string) => `flagship.lti.${state}`;

function options(req: Request) {
  return {
    httpOnly: true,
    path: "/lti",
    secure: req.secure,
    sameSite: req.secure ? ("none" as const) : ("lax" as const),
  };
}

export function setStateCookie(req: Request, res: Response, state: string): void {
  res.cookie(cookieName(state), "1", { ...options(req), maxAge: STATE_TTL_MS });
}

export function hasStateCookie(req: Request, state: string): boolean {
  return readCookie(req, cookieName(state)) === "1";
}

export function clearStateCookie(req: Request, res: Response, state: string): void {
  res.clearCookie(cookieName(state), options(req));
}

/** A navigation inside a frame (the LMS's iframe), as the browser reports it. */
export function inFrame(req: Request): boolean {
  return req.headers["sec-fetch-dest"] === "iframe" || req.headers["sec-fetch-dest"] === "frame";
}
