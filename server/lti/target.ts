/**
 * Where a launch lands: the exercise or module its link names. Deep-linked links carry custom
 * parameters (flagship_exercise, flagship_module); a link made by hand may point its target_link_uri at
 * a page. Anything else lands on the course page, never on another site.
 */
import type { Course } from "../course";
import { CLAIM, type ResourceLinkClaims } from "./claims";

export function landingPath(course: Course, claims: ResourceLinkClaims, toolOrigin: string): string {
  const custom = claims[CLAIM.custom] ?? {};
  const exercise = custom.flagship_exercise;
  if (typeof exercise === "string" && course.exerciseById(exercise))
    return `/exercises/${encodeURIComponent(exercise)}`;
  const module = custom.flagship_module;
  if (typeof module === "string" && course.moduleById(module)) return `/modules/${encodeURIComponent(module)}`;
  let url: URL;
  try {
    url = new URL(claims[CLAIM.targetLinkUri]);
  } catch {
    return "/";
  }
  if (url.origin !== toolOrigin) return "/";
  const match = /^\/(exercises|modules)\/([^/]+)$/.exec(url.pathname);
  if (!match) return "/";
  const id = decodeURIComponent(match[2]!);
  const known = match[1] === "exercises" ? course.exerciseById(id) : course.moduleById(id);
  return known ? `/${match[1]}/${encodeURIComponent(id)}` : "/";
}

/** The exercise a landing path names, if any (for recording the link's line item). */
export function exerciseOfPath(path: string): string | undefined {
  const match = /^\/exercises\/([^/]+)$/.exec(path);
  return match ? decodeURIComponent(match[1]!) : undefined;
}
