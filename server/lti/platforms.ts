/** Registered LTI platforms (one LMS issuer and the client id it gave Flagship) and their deployments. */
import { z } from "zod";
import type { Db } from "../db/database";
import { queryRow, queryRows, queryValue, queryValues } from "../db/query";

const httpsOrLocalUrl = z
  .string()
  .trim()
  .url("must be a URL")
  .refine(
    (v) => /^https:\/\//.test(v) || /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?(\/|$)/.test(v),
    "must be an https URL (plain http only for localhost)",
  );

export const platformInputSchema = z.object({
  issuer: httpsOrLocalUrl,
  clientId: z.string().trim().min(1, "is required").max(255),
  name: z.string().trim().max(120, "must be at most 120 characters").default(""),
  authUrl: httpsOrLocalUrl,
  tokenUrl: httpsOrLocalUrl,
  jwksUrl: httpsOrLocalUrl,
  lmsOrigin: z.union([z.literal(""), httpsOrLocalUrl.transform((v) => new URL(v).origin)]).default(""),
  deploymentIds: z
    .array(z.string().trim().min(1, "must not be empty").max(255))
    .min(1, "must list at least one deployment id"),
});

export interface Platform {
  id: number;
  issuer: string;
  clientId: string;
  name: string;
  authUrl: string;
  tokenUrl: string;
  jwksUrl: string;
  lmsOrigin: string;
  deploymentIds: string[];
}

/** A platform row, without its deployment ids (another table, read by `withDeployments`). */
const platformRow = z
  .object({
    id: z.number(),
    issuer: z.string(),
    client_id: z.string(),
    name: z.string(),
    auth_url: z.string(),
    token_url: z.string(),
    jwks_url: z.string(),
    lms_origin: z.string(),
  })
  .transform((row) => ({
    id: row.id,
    issuer: row.issuer,
    clientId: row.client_id,
    name: row.name,
    authUrl: row.auth_url,
    tokenUrl: row.token_url,
    jwksUrl: row.jwks_url,
    lmsOrigin: row.lms_origin,
  }));

function withDeployments(db: Db, platform: z.output<typeof platformRow>): Platform {
  const deploymentIds = queryValues(
    db,
    "SELECT deployment_id FROM lti_deployments WHERE platform_id = ? ORDER BY deployment_id",
    [platform.id],
    z.string(),
  );
  return { ...platform, deploymentIds };
}

/**
 * Adds a platform, or adds deployment ids and updates the URLs of the one already registered for the
 * same issuer and client id (an LMS adds a deployment per course or sub-account).
 */
export function savePlatform(db: Db, input: z.output<typeof platformInputSchema>): Platform {
  return db.transaction(() => {
    db.prepare(
      `INSERT INTO lti_platforms (issuer, client_id, name, auth_url, token_url, jwks_url, lms_origin) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (issuer, client_id) DO UPDATE SET name = excluded.name, auth_url = excluded.auth_url,
         token_url = excluded.token_url, jwks_url = excluded.jwks_url, lms_origin = excluded.lms_origin`,
    ).run(input.issuer, input.clientId, input.name, input.authUrl, input.tokenUrl, input.jwksUrl, input.lmsOrigin);
    const id = queryValue(
      db,
      "SELECT id FROM lti_platforms WHERE issuer = ? AND client_id = ?",
      [input.issuer, input.clientId],
      z.number(),
    );
    if (id === undefined) throw new Error("platform vanished after insert");
    const add = db.prepare("INSERT OR IGNORE INTO lti_deployments (platform_id, deployment_id) VALUES (?, ?)");
    for (const d of input.deploymentIds) add.run(id, d);
    const platform = findPlatformById(db, id);
    if (!platform) throw new Error("platform vanished after insert");
    return platform;
  })();
}

export function findPlatformById(db: Db, id: number): Platform | undefined {
  const row = queryRow(db, "SELECT * FROM lti_platforms WHERE id = ?", [id], platformRow);
  return row && withDeployments(db, row);
}

export function platformsForIssuer(db: Db, issuer: string): Platform[] {
  const rows = queryRows(db, "SELECT * FROM lti_platforms WHERE issuer = ? ORDER BY id", [issuer], platformRow);
  return rows.map((r) => withDeployments(db, r));
}

export function findPlatform(db: Db, issuer: string, clientId: string): Platform | undefined {
  const row = queryRow(
    db,
    "SELECT * FROM lti_platforms WHERE issuer = ? AND client_id = ?",
    [issuer, clientId],
    platformRow,
  );
  return row && withDeployments(db, row);
}

export function listPlatforms(db: Db): Platform[] {
  const rows = queryRows(db, "SELECT * FROM lti_platforms ORDER BY name COLLATE NOCASE, issuer", [], platformRow);
  return rows.map((r) => withDeployments(db, r));
}

/** Origins allowed to frame Flagship: each platform's LMS origin, or its issuer's. */
export function frameOrigins(db: Db): string[] {
  const rows = queryRows(
    db,
    "SELECT issuer, lms_origin FROM lti_platforms",
    [],
    z.object({ issuer: z.string(), lms_origin: z.string() }),
  );
  return [...new Set(rows.map((r) => r.lms_origin || new URL(r.issuer).origin))];
}

/**
 * The CSP frame-ancestors value: the registered LMS origins, else 'none'. Asked on every response, so
 * a database that cannot answer (closed, at shutdown) must not fail the response: nobody may frame.
 */
export function frameAncestors(db: Db): string {
  try {
    return frameOrigins(db).join(" ") || "'none'";
  } catch {
    return "'none'";
  }
}
