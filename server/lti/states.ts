/**
 * OIDC login states and nonces: each state is made at login initiation, lives a few minutes, and is
 * consumed by exactly one launch (one atomic UPDATE, so two posts of the same form cannot both pass).
 * Nonces are remembered once used, so an id_token replayed with a fresh state is refused too.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Db } from "../db/database";
import { jsonColumn, queryRow, queryValue } from "../db/query";

export const STATE_TTL_MS = 10 * 60 * 1000;

/** What the platform sent to /lti/login, kept to start the same login again in a new window. */
export const loginParamsSchema = z.object({
  iss: z.string().url(),
  login_hint: z.string().min(1).max(2048),
  target_link_uri: z.string().url().max(2048),
  lti_message_hint: z.string().max(4096).optional(),
  client_id: z.string().max(255).optional(),
  lti_deployment_id: z.string().max(255).optional(),
});
export type LoginParams = z.output<typeof loginParamsSchema>;
const loginColumn = jsonColumn.pipe(loginParamsSchema);

export interface LoginState {
  state: string;
  nonce: string;
  platformId: number;
  login: LoginParams;
}

export function createState(db: Db, platformId: number, login: LoginParams, now = Date.now()): LoginState {
  const state = randomBytes(24).toString("base64url");
  const nonce = randomBytes(24).toString("base64url");
  db.prepare("INSERT INTO lti_states (state, nonce, platform_id, login, expires_at) VALUES (?, ?, ?, ?, ?)").run(
    state,
    nonce,
    platformId,
    JSON.stringify(login),
    now + STATE_TTL_MS,
  );
  // Old states are of no use to anyone; drop them as new ones come in.
  db.prepare("DELETE FROM lti_states WHERE expires_at < ?").run(now - STATE_TTL_MS);
  return { state, nonce, platformId, login };
}

export type ConsumeResult = { ok: true; state: LoginState } | { ok: false; reason: "unknown" | "used" | "expired" };

/** Marks the state used and returns it; a second consume of the same state is refused as "used". */
export function consumeState(db: Db, state: string, now = Date.now()): ConsumeResult {
  const row = queryRow(
    db,
    "UPDATE lti_states SET used_at = ? WHERE state = ? AND used_at IS NULL AND expires_at > ? RETURNING nonce, platform_id, login",
    [now, state, now],
    z.object({ nonce: z.string(), platform_id: z.number(), login: loginColumn }),
  );
  if (row) return { ok: true, state: { state, nonce: row.nonce, platformId: row.platform_id, login: row.login } };
  const existing = queryRow(
    db,
    "SELECT used_at, expires_at FROM lti_states WHERE state = ?",
    [state],
    z.object({ used_at: z.number().nullable(), expires_at: z.number() }),
  );
  if (!existing) return { ok: false, reason: "unknown" };
  return { ok: false, reason: existing.used_at !== null ? "used" : "expired" };
}

/** Records a nonce as used; false when it already was. */
export function useNonce(db: Db, platformId: number, nonce: string, now = Date.now()): boolean {
  const info = db
    .prepare("INSERT OR IGNORE INTO lti_nonces (platform_id, nonce, used_at) VALUES (?, ?, ?)")
    .run(platformId, nonce, now);
  db.prepare("DELETE FROM lti_nonces WHERE used_at < ?").run(now - 24 * 60 * 60 * 1000);
  return info.changes === 1;
}

/** The login parameters a state was made with, used or not (to start the same login again). */
export function loginOfState(db: Db, state: string): LoginParams | undefined {
  return queryValue(db, "SELECT login FROM lti_states WHERE state = ?", [state], loginColumn);
}
