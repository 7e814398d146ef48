/**
 * Deep Linking 2.0: a pending request (made by an instructor's LtiDeepLinkingRequest launch) and the
 * signed LtiDeepLinkingResponse that returns the chosen modules and exercises to the LMS as links.
 * Exercises carry a lineItem, so the LMS makes a gradebook column for each and names it in their
 * launches; modules are ungraded links.
 */
import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import { z } from "zod";
import type { Db } from "../db/database";
import { queryRow } from "../db/query";
import type { Course } from "../course";
import { signingKey } from "./keys";
import type { Platform } from "./platforms";
import { CLAIM } from "./claims";

export interface DeepLinkRequest {
  id: string;
  platformId: number;
  deploymentId: string;
  returnUrl: string;
  data: string | null;
  userId: number;
}

const requestRow: z.ZodType<DeepLinkRequest> = z
  .object({
    id: z.string(),
    platform_id: z.number(),
    deployment_id: z.string(),
    return_url: z.string(),
    data: z.string().nullable(),
    user_id: z.number(),
  })
  .transform((r) => ({
    id: r.id,
    platformId: r.platform_id,
    deploymentId: r.deployment_id,
    returnUrl: r.return_url,
    data: r.data,
    userId: r.user_id,
  }));

/** The open request of this instructor (another's, or a used or expired one, is not found). */
export function findDeepLinkRequest(db: Db, id: string, userId: number, now = Date.now()): DeepLinkRequest | undefined {
  return queryRow(
    db,
    "SELECT * FROM lti_deep_link_requests WHERE id = ? AND user_id = ? AND used_at IS NULL AND expires_at > ?",
    [id, userId, now],
    requestRow,
  );
}

export function useDeepLinkRequest(db: Db, id: string, now = Date.now()): boolean {
  return (
    db.prepare("UPDATE lti_deep_link_requests SET used_at = ? WHERE id = ? AND used_at IS NULL").run(now, id)
      .changes === 1
  );
}

export type Choice = { kind: "module"; id: string } | { kind: "exercise"; id: string };

export function contentItems(
  course: Course,
  choices: readonly Choice[],
  launchUrl: string,
): Array<Record<string, unknown>> {
  return choices.flatMap((c): Array<Record<string, unknown>> => {
    if (c.kind === "module") {
      const m = course.moduleById(c.id);
      return m
        ? [
            {
              type: "ltiResourceLink",
              title: m.title,
              text: m.summary,
              url: launchUrl,
              custom: { flagship_module: m.id },
            },
          ]
        : [];
    }
    const e = course.exerciseById(c.id)?.exercise;
    return e
      ? [
          {
            type: "ltiResourceLink",
            title: e.title,
            url: launchUrl,
            custom: { flagship_exercise: e.id },
            lineItem: { scoreMaximum: e.points, label: e.title, resourceId: e.id, tag: "flagship" },
          },
        ]
      : [];
  });
}

export async function deepLinkingResponse(
  db: Db,
  platform: Platform,
  request: DeepLinkRequest,
  items: Array<Record<string, unknown>>,
): Promise<string> {
  const { kid, key } = await signingKey(db);
  const claims: Record<string, unknown> = {
    nonce: randomUUID(),
    [CLAIM.messageType]: "LtiDeepLinkingResponse",
    [CLAIM.version]: "1.3.0",
    [CLAIM.deploymentId]: request.deploymentId,
    [CLAIM.contentItems]: items,
  };
  if (request.data !== null) claims[CLAIM.data] = request.data;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "RS256", kid, typ: "JWT" })
    .setIssuer(platform.clientId)
    .setAudience(platform.issuer)
    .setIssuedAt()
    .setExpirationTime("5m")
    .sign(key);
}
