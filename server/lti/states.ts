/**
 * OIDC login states and nonces: each state is made at login initiation, lives a few minutes, and is
 * consumed by exactly one launch (one atomic UPDATE, so two posts of the same form cannot both pass).
 * Nonces are remembered once used, so an id_token replayed with a fresh state is refused too.
 */
import { randomBytes } from "node:crypto";
import type { Db } from "../db/database";

export const STATE_TTL_MS = 10 * 60 * 1000;

/** What the platform sent to /lti/login, kept to start the same login again in a new window. */
export interface LoginParams {
  iss: string;
  login_hint: string;
  target_link_uri: string;
  lti_message_hint?: string;
  client_id?: string;
  lti_deployment_id?: string;
}

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
  const row = db
    .prepare(
      "UPDATE lti_states SET used_at = ? WHERE state = ? AND used_at IS NULL AND expires_at > ? RETURNING nonce, platform_id, login",
    )
    .get(now, state, now) as { nonce: string; platform_id: number; login: string } | undefined;
  if (row)
    return {
      ok: true,
      state: { state, nonce: row.nonce, platformId: row.platform_id, login: JSON.parse(row.login) as LoginParams },
    };
  const existing = db.prepare("SELECT used_at, expires_at FROM lti_states WHERE state = ?").get(state) as
    { used_at: number | null; expires_at: number } | undefined;
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
  const login = db.prepare("SELECT login FROM lti_states WHERE state = ?").pluck().get(state) as string | undefined;
  return login === undefined ? undefined : (JSON.parse(login) as LoginParams);
}
