/**
 * Names and Role Provisioning Services 2.0: reads an LMS course's roster (following Link rel="next"
 * pages), links or creates each active member, and deactivates members who left (missing from the
 * roster or not Active there). Nobody is ever deleted: their submissions and grades stay, and they
 * come back as they were if the LMS lists them again.
 */
import { z } from "zod";
import type { Db } from "../db/database";
import { queryValues } from "../db/query";
import { setActive } from "../users/users";
import { mapRoles } from "./claims";
import { addMember, findContext } from "./contexts";
import { findPlatformById } from "./platforms";
import { NRPS_SCOPE } from "./canvas-config";
import { serviceToken } from "./service-token";
import { serviceFetch } from "./service-fetch";
import { ServiceError } from "./service-error";
import { linkOrCreateUser, unusablePasswordHash } from "./user-links";

const member = z.object({
  user_id: z.string().min(1).max(255),
  name: z.string().max(255).optional(),
  given_name: z.string().max(255).optional(),
  family_name: z.string().max(255).optional(),
  email: z.string().max(254).optional(),
  roles: z.array(z.string()).default([]),
  status: z.string().default("Active"),
});
const container = z.object({ members: z.array(z.unknown()) });

/** Stops a platform whose pages link in a circle, or without end. */
const MAX_PAGES = 1000;

export interface RosterSyncResult {
  pages: number;
  active: number;
  created: number;
  deactivated: number;
  /** Members the LMS sent that could not be read (named by position). */
  skipped: string[];
}

function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(",")) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part.trim());
    if (match) return match[1];
  }
  return undefined;
}

export async function syncRoster(db: Db, contextId: number): Promise<RosterSyncResult> {
  const context = findContext(db, contextId);
  const platform = context && findPlatformById(db, context.platformId);
  if (!context || !platform) throw new ServiceError("That LMS course is not known here.");
  if (!context.membershipsUrl)
    throw new ServiceError(`The LMS course ${context.title || context.contextId} offers no roster service.`);
  const token = await serviceToken(db, platform, [NRPS_SCOPE]);

  const members: Array<z.infer<typeof member>> = [];
  const skipped: string[] = [];
  let url: string | undefined = context.membershipsUrl;
  let pages = 0;
  const seen = new Set<string>();
  while (url && pages < MAX_PAGES && !seen.has(url)) {
    seen.add(url);
    const res = await serviceFetch(platform.id, token, url, {
      accept: "application/vnd.ims.lti-nrps.v2.membershipcontainer+json",
    });
    pages += 1;
    const body = container.safeParse(await res.json().catch(() => undefined));
    if (!body.success) throw new ServiceError(`${url} did not send a membership container`);
    body.data.members.forEach((m, i) => {
      const parsed = member.safeParse(m);
      if (parsed.success) members.push(parsed.data);
      else skipped.push(`page ${pages}, member ${i + 1}`);
    });
    url = nextLink(res.headers.get("link"));
  }

  // One throwaway hash for every account this sync creates: nobody ever knows the password behind it.
  const passwordHash = await unusablePasswordHash();
  return db.transaction((): RosterSyncResult => {
    const present = new Set<number>();
    let created = 0;
    for (const m of members) {
      if (m.status !== "Active") continue;
      const name = m.name ?? [m.given_name, m.family_name].filter(Boolean).join(" ");
      const linked = linkOrCreateUser(
        db,
        { issuer: platform.issuer, sub: m.user_id, name, email: m.email, role: mapRoles(m.roles) },
        passwordHash,
      );
      if (linked.created) created += 1;
      if (!linked.user.active) setActive(db, linked.user.id, true);
      addMember(db, context.id, linked.user.id);
      present.add(linked.user.id);
    }
    const former = queryValues(
      db,
      "SELECT user_id FROM lti_context_members WHERE context_id = ? AND active = 1",
      [context.id],
      z.number(),
    ).filter((id) => !present.has(id));
    for (const userId of former) {
      db.prepare("UPDATE lti_context_members SET active = 0 WHERE context_id = ? AND user_id = ?").run(
        context.id,
        userId,
      );
      // Still in another LMS course here: stay active for that one.
      const elsewhere = db.prepare("SELECT 1 FROM lti_context_members WHERE user_id = ? AND active = 1").get(userId);
      if (!elsewhere) setActive(db, userId, false);
    }
    return { pages, active: present.size, created, deactivated: former.length, skipped };
  })();
}
