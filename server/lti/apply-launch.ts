/**
 * What a verified, claimed launch changes: the person's account and link, the course (context) with
 * its service endpoints, their membership, the resource link and its line item. One transaction, so
 * a launch leaves all of it or none.
 */
import { randomBytes } from "node:crypto";
import type { Db } from "../db/database";
import type { Course } from "../course";
import type { User } from "../users/users";
import { CLAIM, isDeepLinking, mapRoles, type LaunchClaims } from "./claims";
import { addMember, recordLineItem, recordResourceLink, upsertContext, type LtiContext } from "./contexts";
import { LaunchError } from "./launch-error";
import type { Platform } from "./platforms";
import { exerciseOfPath, landingPath } from "./target";
import { linkOrCreateUser, linkedUser, unusablePasswordHash } from "./user-links";

export const DEEP_LINK_TTL_MS = 60 * 60 * 1000;

export interface AppliedLaunch {
  user: User;
  path: string;
  context?: LtiContext;
  /** The launcher is staff in this course (an instructor launch syncs the roster). */
  instructorLaunch: boolean;
}

export async function applyLaunch(
  db: Db,
  course: Course,
  platform: Platform,
  claims: LaunchClaims,
  toolOrigin: string,
  now = Date.now(),
): Promise<AppliedLaunch> {
  const role = mapRoles(claims[CLAIM.roles]);
  const already = linkedUser(db, platform.issuer, claims.sub);
  if (isDeepLinking(claims) && (already ? already.role : role) !== "instructor") {
    throw new LaunchError(
      "not_instructor",
      "Only an instructor can choose which Flagship pages to add to the course.",
      403,
    );
  }
  if (already && !already.active) {
    throw new LaunchError(
      "inactive",
      "Your Flagship account is deactivated. Ask the course's instructor to reactivate it.",
      403,
    );
  }
  const passwordHash = already ? "" : await unusablePasswordHash();
  const name = claims.name ?? [claims.given_name, claims.family_name].filter(Boolean).join(" ");

  return db.transaction((): AppliedLaunch => {
    const { user } = linkOrCreateUser(
      db,
      { issuer: platform.issuer, sub: claims.sub, name, email: claims.email, role },
      passwordHash,
    );
    const deploymentId = claims[CLAIM.deploymentId];
    const contextClaim = claims[CLAIM.context];
    const ags = claims[CLAIM.ags];
    const context = contextClaim
      ? upsertContext(db, {
          platformId: platform.id,
          deploymentId,
          contextId: contextClaim.id,
          title: contextClaim.title,
          lineitemsUrl: ags?.lineitems,
          agsScopes: ags?.scope,
          membershipsUrl: claims[CLAIM.nrps]?.context_memberships_url,
        })
      : undefined;
    if (context) addMember(db, context.id, user.id);

    if (isDeepLinking(claims)) {
      const settings = claims[CLAIM.deepLinkingSettings];
      const id = randomBytes(18).toString("base64url");
      db.prepare(
        "INSERT INTO lti_deep_link_requests (id, platform_id, deployment_id, return_url, data, user_id, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      ).run(
        id,
        platform.id,
        deploymentId,
        settings.deep_link_return_url,
        settings.data ?? null,
        user.id,
        now + DEEP_LINK_TTL_MS,
      );
      return { user, path: `/admin/lti/deep-linking/${id}`, context, instructorLaunch: true };
    }

    const path = landingPath(course, claims, toolOrigin);
    if (context) {
      recordResourceLink(db, context.id, claims[CLAIM.resourceLink].id, path);
      const exerciseId = exerciseOfPath(path);
      if (exerciseId && ags?.lineitem) recordLineItem(db, context.id, exerciseId, ags.lineitem);
    }
    return { user, path, context, instructorLaunch: user.role === "instructor" };
  })();
}
