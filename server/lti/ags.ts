/**
 * Assignment and Grade Services 2.0: the line item of an exercise in an LMS course (the one the
 * launch named, one already there for the exercise, or a new one), and posting a score to it.
 */
import { z } from "zod";
import type { Db } from "../db/database";
import type { Course } from "../course";
import type { Platform } from "./platforms";
import { lineItemUrl, recordLineItem, type LtiContext } from "./contexts";
import { serviceFetch } from "./service-fetch";
import { ServiceError } from "./service-error";

export const SCOPE_LINEITEM = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem";
export const SCOPE_SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score";

const lineItem = z.object({ id: z.string().url(), resourceId: z.string().optional() });

export async function ensureLineItem(
  db: Db,
  course: Course,
  platform: Platform,
  context: LtiContext,
  exerciseId: string,
  token: string,
): Promise<string> {
  const known = lineItemUrl(db, context.id, exerciseId);
  if (known) return known;
  if (!context.lineitemsUrl)
    throw new ServiceError(`the LMS course ${context.title || context.contextId} offers no line items service`);
  const exercise = course.exerciseById(exerciseId)?.exercise;
  if (!exercise) throw new ServiceError(`the exercise ${exerciseId} is not in the course any more`);

  const listUrl = new URL(context.lineitemsUrl);
  listUrl.searchParams.set("resource_id", exerciseId);
  const listed = await serviceFetch(platform.id, token, listUrl.toString(), {
    accept: "application/vnd.ims.lis.v2.lineitemcontainer+json",
  });
  const items = z.array(lineItem).safeParse(await listed.json().catch(() => undefined));
  const existing = items.success ? items.data.find((i) => i.resourceId === exerciseId) : undefined;
  if (existing) {
    recordLineItem(db, context.id, exerciseId, existing.id);
    return existing.id;
  }
  const created = await serviceFetch(platform.id, token, context.lineitemsUrl, {
    method: "POST",
    accept: "application/vnd.ims.lis.v2.lineitem+json",
    contentType: "application/vnd.ims.lis.v2.lineitem+json",
    body: { label: exercise.title, scoreMaximum: exercise.points, resourceId: exerciseId, tag: "flagship" },
  });
  const parsed = lineItem.safeParse(await created.json().catch(() => undefined));
  if (!parsed.success) throw new ServiceError(`the LMS made a line item for ${exerciseId} but did not say its id`);
  recordLineItem(db, context.id, exerciseId, parsed.data.id);
  return parsed.data.id;
}

export interface Score {
  userId: string;
  scoreGiven: number;
  scoreMaximum: number;
  gradingProgress: string;
  timestamp: string;
}

export async function postScore(platform: Platform, token: string, lineitem: string, score: Score): Promise<void> {
  // The scores endpoint is the line item's URL with /scores before any query string.
  const url = new URL(lineitem);
  url.pathname = `${url.pathname.replace(/\/$/, "")}/scores`;
  await serviceFetch(platform.id, token, url.toString(), {
    method: "POST",
    accept: "application/json",
    contentType: "application/vnd.ims.lis.v1.score+json",
    body: { ...score, activityProgress: "Completed" },
  });
}
