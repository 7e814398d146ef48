/** Registered LTI platforms (one LMS issuer and the client id it gave Flagship) and their deployments. */
import { z } from "zod";
import type { Db } from "../db/database";

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

interface PlatformRow {
  id: number;
  issuer: string;
  client_id: string;
  name: string;
  auth_url: string;
  token_url: string;
  jwks_url: string;
  lms_origin: string;
}

function toPlatform(db: Db, row: PlatformRow): Platform {
  const deploymentIds = db
    .prepare("SELECT deployment_id FROM lti_deployments WHERE platform_id = ? ORDER BY deployment_id")
    .pluck()
    .all(row.id) as string[];
  return {
    id: row.id,
    issuer: row.issuer,
    clientId: row.client_id,
    name: row.name,
    authUrl: row.auth_url,
    tokenUrl: row.token_url,
    jwksUrl: row.jwks_url,
    lmsOrigin: row.lms_origin,
    deploymentIds,
  };
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
    const id = db
      .prepare("SELECT id FROM lti_platforms WHERE issuer = ? AND client_id = ?")
      .pluck()
      .get(input.issuer, input.clientId) as number;
    const add = db.prepare("INSERT OR IGNORE INTO lti_deployments (platform_id, deployment_id) VALUES (?, ?)");
    for (const d of input.deploymentIds) add.run(id, d);
    const platform = findPlatformById(db, id);
    if (!platform) throw new Error("platform vanished after insert");
    return platform;
  })();
}

export function findPlatformById(db: Db, id: number): Platform | undefined {
  const row = db.prepare("SELECT * FROM lti_platforms WHERE id = ?").get(id) as PlatformRow | undefined;
  return row && toPlatform(db, row);
}

export function platformsForIssuer(db: Db, issuer: string): Platform[] {
  const rows = db.prepare("SELECT * FROM lti_platforms WHERE issuer = ? ORDER BY id").all(issuer) as PlatformRow[];
  return rows.map((r) => toPlatform(db, r));
}

export function findPlatform(db: Db, issuer: string, clientId: string): Platform | undefined {
  const row = db.prepare("SELECT * FROM lti_platforms WHERE issuer = ? AND client_id = ?").get(issuer, clientId) as
    PlatformRow | undefined;
  return row && toPlatform(db, row);
}

export function listPlatforms(db: Db): Platform[] {
  const rows = db.prepare("SELECT * FROM lti_platforms ORDER BY name COLLATE NOCASE, issuer").all() as PlatformRow[];
  return rows.map((r) => toPlatform(db, r));
}

/** Origins allowed to frame Flagship: each platform's LMS origin, or its issuer's. */
export function frameOrigins(db: Db): string[] {
  const rows = db.prepare("SELECT issuer, lms_origin FROM lti_platforms").all() as Array<{
    issuer: string;
    lms_origin: string;
  }>;
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
