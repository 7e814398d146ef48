/** Verified launches waiting to be claimed by the browser that started them (single use, two minutes). */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Db } from "../db/database";
import { jsonColumn, queryRow } from "../db/query";
import { launchClaims, type LaunchClaims } from "./claims";

export const LAUNCH_TTL_MS = 2 * 60 * 1000;

export interface PendingLaunch {
  ticket: string;
  state: string;
  platformId: number;
  claims: LaunchClaims;
}

export function storeLaunch(db: Db, launch: Omit<PendingLaunch, "ticket">, now = Date.now()): string {
  const ticket = randomBytes(24).toString("base64url");
  db.prepare("INSERT INTO lti_launches (ticket, state, platform_id, claims, expires_at) VALUES (?, ?, ?, ?, ?)").run(
    ticket,
    launch.state,
    launch.platformId,
    JSON.stringify(launch.claims),
    now + LAUNCH_TTL_MS,
  );
  db.prepare("DELETE FROM lti_launches WHERE expires_at < ?").run(now - LAUNCH_TTL_MS);
  return ticket;
}

const launchRow = z.object({ state: z.string(), platform_id: z.number(), claims: jsonColumn.pipe(launchClaims) });

function toLaunch(ticket: string, row: z.output<typeof launchRow>): PendingLaunch {
  return { ticket, state: row.state, platformId: row.platform_id, claims: row.claims };
}

export function peekLaunch(db: Db, ticket: string, now = Date.now()): PendingLaunch | undefined {
  const row = queryRow(
    db,
    "SELECT state, platform_id, claims FROM lti_launches WHERE ticket = ? AND used_at IS NULL AND expires_at > ?",
    [ticket, now],
    launchRow,
  );
  return row && toLaunch(ticket, row);
}

export function claimLaunch(db: Db, ticket: string, now = Date.now()): PendingLaunch | undefined {
  const row = queryRow(
    db,
    "UPDATE lti_launches SET used_at = ? WHERE ticket = ? AND used_at IS NULL AND expires_at > ? RETURNING state, platform_id, claims",
    [now, ticket, now],
    launchRow,
  );
  return row && toLaunch(ticket, row);
}
