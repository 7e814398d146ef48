/** LMS courses (contexts) as launches describe them: their service endpoints, members and resource links. */
import { z } from "zod";
import type { Db } from "../db/database";
import { queryRow, queryRows, queryValue } from "../db/query";

export interface LtiContext {
  id: number;
  platformId: number;
  deploymentId: string;
  contextId: string;
  title: string;
  lineitemsUrl: string | null;
  agsScopes: string[];
  membershipsUrl: string | null;
}

const contextRow: z.ZodType<LtiContext> = z
  .object({
    id: z.number(),
    platform_id: z.number(),
    deployment_id: z.string(),
    context_id: z.string(),
    title: z.string(),
    lineitems_url: z.string().nullable(),
    ags_scopes: z.string(),
    memberships_url: z.string().nullable(),
  })
  .transform((row) => ({
    id: row.id,
    platformId: row.platform_id,
    deploymentId: row.deployment_id,
    contextId: row.context_id,
    title: row.title,
    lineitemsUrl: row.lineitems_url,
    agsScopes: row.ags_scopes ? row.ags_scopes.split(" ") : [],
    membershipsUrl: row.memberships_url,
  }));

export interface ContextInput {
  platformId: number;
  deploymentId: string;
  contextId: string;
  title?: string;
  lineitemsUrl?: string;
  agsScopes?: string[];
  membershipsUrl?: string;
}

/** Records what a launch said about its course; endpoints a launch leaves out keep their last value. */
export function upsertContext(db: Db, input: ContextInput): LtiContext {
  const row = queryRow(
    db,
    `INSERT INTO lti_contexts (platform_id, deployment_id, context_id, title, lineitems_url, ags_scopes, memberships_url)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (platform_id, context_id) DO UPDATE SET
         deployment_id = excluded.deployment_id,
         title = CASE WHEN excluded.title = '' THEN lti_contexts.title ELSE excluded.title END,
         lineitems_url = coalesce(excluded.lineitems_url, lti_contexts.lineitems_url),
         ags_scopes = CASE WHEN excluded.ags_scopes = '' THEN lti_contexts.ags_scopes ELSE excluded.ags_scopes END,
         memberships_url = coalesce(excluded.memberships_url, lti_contexts.memberships_url)
       RETURNING *`,
    [
      input.platformId,
      input.deploymentId,
      input.contextId,
      input.title ?? "",
      input.lineitemsUrl ?? null,
      (input.agsScopes ?? []).join(" "),
      input.membershipsUrl ?? null,
    ],
    contextRow,
  );
  if (!row) throw new Error("upsert returned no row");
  return row;
}

export function findContext(db: Db, id: number): LtiContext | undefined {
  return queryRow(db, "SELECT * FROM lti_contexts WHERE id = ?", [id], contextRow);
}

export function listContexts(db: Db): LtiContext[] {
  return queryRows(db, "SELECT * FROM lti_contexts ORDER BY title, id", [], contextRow);
}

export function addMember(db: Db, contextId: number, userId: number): void {
  db.prepare(
    `INSERT INTO lti_context_members (context_id, user_id, active) VALUES (?, ?, 1)
     ON CONFLICT (context_id, user_id) DO UPDATE SET active = 1`,
  ).run(contextId, userId);
}

export function recordResourceLink(db: Db, contextId: number, resourceLinkId: string, target: string): void {
  db.prepare(
    `INSERT INTO lti_resource_links (context_id, resource_link_id, target) VALUES (?, ?, ?)
     ON CONFLICT (context_id, resource_link_id) DO UPDATE SET target = excluded.target`,
  ).run(contextId, resourceLinkId, target);
}

/** A line item the platform told us about (the launch's `lineitem`, or one we created). */
export function recordLineItem(db: Db, contextId: number, exerciseId: string, url: string): void {
  db.prepare(
    `INSERT INTO lti_line_items (context_id, exercise_id, lineitem_url) VALUES (?, ?, ?)
     ON CONFLICT (context_id, exercise_id) DO UPDATE SET lineitem_url = excluded.lineitem_url`,
  ).run(contextId, exerciseId, url);
}

export function lineItemUrl(db: Db, contextId: number, exerciseId: string): string | undefined {
  return queryValue(
    db,
    "SELECT lineitem_url FROM lti_line_items WHERE context_id = ? AND exercise_id = ?",
    [contextId, exerciseId],
    z.string(),
  );
}
