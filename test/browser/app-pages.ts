/**
 * Every page a role can open, read from the app's own route list: a new GET page with a parameter
 * this file does not know how to fill fails the browser checks until it is taught here, so no page
 * escapes them.
 */
import type { Express } from "express";
import type { Course } from "../../server/course";
import { appRoutes } from "../helpers/routes";
import type { Role, SeededCourse } from "./course-fixture";

/** Paths of every GET route, with mount prefixes resolved (as the authorization matrix reads them). */
export function getRoutes(app: Express): string[] {
  return [...new Set(appRoutes(app).flatMap((route) => (route.startsWith("get ") ? [route.slice(4)] : [])))];
}

/**
 * Not pages: health probes, the JSON API and file downloads; and the LTI endpoints, which only an
 * LMS launch opens with its parameters (their pages are checked in test/server/lti/), as is the
 * deep-linking picker, which needs a live deep-linking request.
 */
const notAPage = (path: string) =>
  path === "/healthz" ||
  path.startsWith("/api/") ||
  path.endsWith(".csv") ||
  path.startsWith("/lti/") ||
  path === "/admin/lti/deep-linking/:id";

function mayOpen(role: Role, path: string): boolean {
  if (path === "/login") return role === "anonymous";
  if (role === "anonymous") return false;
  if (path.startsWith("/admin")) return role === "instructor";
  if (path.startsWith("/staff")) return role !== "student";
  return true;
}

/** Every concrete URL `role` may open, each parameter filled with every value the seeded course has. */
export function pagesFor(
  app: Express,
  course: Course,
  seeded: Pick<SeededCourse, "submissionIds" | "studentSubmissionIds" | "rampDayIds">,
  role: Role,
): string[] {
  const exercises = course.exercises.map((e) => e.exercise.id);
  const submissions = role === "student" ? seeded.studentSubmissionIds : seeded.submissionIds;
  const out: string[] = [];
  for (const route of getRoutes(app).filter((p) => !notAPage(p) && mayOpen(role, p))) {
    let values: string[] = [""];
    if (route === "/modules/:id") values = course.modules.map((m) => m.id);
    else if (/\/submissions\/:id$/.test(route)) values = submissions.map(String);
    else if (route === "/staff/ramp-days/:id") values = seeded.rampDayIds.map(String);
    else if (route.endsWith("/simulator") || route.endsWith("/ramp-days"))
      values = course.exercises.filter((e) => e.exercise.kind === "rollout-simulator").map((e) => e.exercise.id);
    else if (route.includes(":id")) values = exercises;
    if (/:(?!id\b)\w+/.test(route))
      throw new Error(`the page checks do not know how to fill ${route}: teach test/browser/app-pages.ts`);
    for (const v of values) out.push(route.replace(":id", v).replace(/\/$/, "") || "/");
  }
  return out;
}
