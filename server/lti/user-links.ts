/**
 * The Flagship user an LMS person is: (issuer, sub) → users.id. A first launch (or roster sync) makes
 * the link, joining an existing account with the same email (instructors often had one first) unless
 * that account is already linked to someone else at the same LMS, else creating the account with a
 * random password nobody knows: LTI users sign in through the LMS.
 */
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import type { Db } from "../db/database";
import { queryValue } from "../db/query";
import { emailSchema, findUserById, insertUser, type Role, type User } from "../users/users";
import { hashPassword } from "../auth/passwords";

export interface LmsPerson {
  issuer: string;
  sub: string;
  name?: string;
  email?: string;
  role: Role;
}

export function linkedUser(db: Db, issuer: string, sub: string): User | undefined {
  const id = queryValue(
    db,
    "SELECT user_id FROM lti_user_links WHERE issuer = ? AND sub = ?",
    [issuer, sub],
    z.number(),
  );
  return id === undefined ? undefined : findUserById(db, id);
}

/** A stand-in address when the LMS withholds email (privacy settings): unique per person, never deliverable. */
function placeholderEmail(issuer: string, sub: string): string {
  const digest = createHash("sha256").update(`${issuer}\u0000${sub}`).digest("hex").slice(0, 20);
  return `lti-${digest}@lms.invalid`;
}

function displayName(person: LmsPerson, email: string): string {
  const name = person.name?.trim();
  return (name && name.slice(0, 120)) || email.split("@")[0] || "LMS user";
}

/** Hashed outside any transaction (scrypt is slow); the password is thrown away at once. */
export function unusablePasswordHash(): Promise<string> {
  return hashPassword(randomBytes(32).toString("base64url"));
}

/**
 * The linked user, or a new link (and, if needed, a new account), written in one transaction. The
 * role is set only when the account is created: a later launch never changes it (an instructor
 * trying the student view in the LMS must stay an instructor here).
 */
export function linkOrCreateUser(db: Db, person: LmsPerson, passwordHash: string): { user: User; created: boolean } {
  return db.transaction(() => {
    const existing = linkedUser(db, person.issuer, person.sub);
    if (existing) return { user: existing, created: false };
    const parsedEmail = emailSchema.safeParse(person.email ?? "");
    const email = parsedEmail.success ? parsedEmail.data : placeholderEmail(person.issuer, person.sub);
    const sameEmail = queryValue(
      db,
      `SELECT u.id FROM users u WHERE u.email = ?
         AND NOT EXISTS (SELECT 1 FROM lti_user_links l WHERE l.user_id = u.id AND l.issuer = ?)`,
      [email, person.issuer],
      z.number(),
    );
    const emailTaken =
      sameEmail === undefined && db.prepare("SELECT 1 FROM users WHERE email = ?").get(email) !== undefined;
    const user =
      sameEmail !== undefined
        ? findUserById(db, sameEmail)!
        : insertUser(db, {
            email: emailTaken ? placeholderEmail(person.issuer, person.sub) : email,
            name: displayName(person, email),
            role: person.role,
            passwordHash,
          });
    db.prepare("INSERT INTO lti_user_links (issuer, sub, user_id) VALUES (?, ?, ?)").run(
      person.issuer,
      person.sub,
      user.id,
    );
    return { user, created: sameEmail === undefined };
  })();
}
