/** The users table: typed rows and the queries every part of the server uses. */
import { z } from "zod";
import type { Db } from "../db/database";
import { camelRow, queryRow, queryRows, queryValue, sqliteBoolean } from "../db/query";
import { personSearch } from "../db/person-search";
import { generatePassword, hashPassword } from "../auth/passwords";

export const roles = ["student", "ta", "instructor"] as const;
export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

export interface User {
  id: number;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  createdAt: string;
}

const userColumns = {
  id: z.number(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  active: sqliteBoolean,
  created_at: z.string(),
};
const userRow: z.ZodType<User> = camelRow(userColumns);
/** Only sign-in reads the hash; every other query leaves it out of the User. */
const loginRow = camelRow({ ...userColumns, password_hash: z.string() });

export const emailSchema = z.string().trim().toLowerCase().email("must be an email address").max(254);
export const nameSchema = z.string().trim().min(1, "is required").max(120, "must be at most 120 characters");

export function countUsers(db: Db): number {
  return queryValue(db, "SELECT count(*) FROM users", [], z.number()) ?? 0;
}

export function findUserById(db: Db, id: number): User | undefined {
  return queryRow(db, "SELECT * FROM users WHERE id = ?", [id], userRow);
}

/** Returns the user and the stored hash, for login only. */
export function findUserForLogin(db: Db, email: string): { user: User; passwordHash: string } | undefined {
  const row = queryRow(db, "SELECT * FROM users WHERE email = ?", [email.trim()], loginRow);
  if (!row) return undefined;
  const { passwordHash, ...user } = row;
  return { user, passwordHash };
}

export function listUsers(db: Db): User[] {
  return queryRows(db, "SELECT * FROM users ORDER BY role DESC, name COLLATE NOCASE", [], userRow);
}

export interface RosterPage {
  users: User[];
  /** People matching the search (everyone without one). */
  total: number;
  page: number;
  pages: number;
  perPage: number;
}

/** One page of the roster in the same order as listUsers, optionally only names or emails containing `query`. */
export function rosterPage(db: Db, input: { query?: string; page?: number; perPage?: number }): RosterPage {
  const perPage = input.perPage ?? 100;
  const query = input.query?.trim() ?? "";
  const search = query ? personSearch(query) : undefined;
  const where = search ? `WHERE ${search.sql}` : "";
  const params = search?.params ?? [];
  const total = queryValue(db, `SELECT count(*) FROM users ${where}`, params, z.number()) ?? 0;
  const pages = Math.max(1, Math.ceil(total / perPage));
  const page = Math.min(Math.max(1, Math.floor(input.page ?? 1)), pages);
  const users = queryRows(
    db,
    `SELECT * FROM users ${where} ORDER BY role DESC, name COLLATE NOCASE LIMIT ? OFFSET ?`,
    [...params, perPage, (page - 1) * perPage],
    userRow,
  );
  return { users, total, page, pages, perPage };
}

export class DuplicateEmailError extends Error {
  constructor(email: string) {
    super(`A user with email ${email} already exists.`);
  }
}

/** A generated password and its hash; hashing is slow, so batch callers do it before a transaction. */
export async function newCredentials(
  password = generatePassword(),
): Promise<{ password: string; passwordHash: string }> {
  return { password, passwordHash: await hashPassword(password) };
}

export function emailExists(db: Db, email: string): boolean {
  return db.prepare("SELECT 1 FROM users WHERE email = ?").get(email) !== undefined;
}

/** Inserts a user whose password is already hashed (synchronous, so it can run inside a transaction). */
export function insertUser(db: Db, input: { email: string; name: string; role: Role; passwordHash: string }): User {
  try {
    const info = db
      .prepare("INSERT INTO users (email, name, role, password_hash) VALUES (?, ?, ?, ?)")
      .run(input.email, input.name, input.role, input.passwordHash);
    const user = findUserById(db, Number(info.lastInsertRowid));
    if (!user) throw new Error("user vanished after insert");
    return user;
  } catch (err) {
    if (err instanceof Error && "code" in err && err.code === "SQLITE_CONSTRAINT_UNIQUE") {
      throw new DuplicateEmailError(input.email);
    }
    throw err;
  }
}

/** Creates a user with a generated password and returns it once; only the hash is stored. */
export async function createUser(
  db: Db,
  input: { email: string; name: string; role: Role; password?: string },
): Promise<{ user: User; password: string }> {
  const { password, passwordHash } = await newCredentials(input.password);
  return { user: insertUser(db, { ...input, passwordHash }), password };
}

export function setRole(db: Db, userId: number, role: Role): void {
  db.prepare("UPDATE users SET role = ? WHERE id = ?").run(role, userId);
}

export function setActive(db: Db, userId: number, active: boolean): void {
  db.prepare("UPDATE users SET active = ? WHERE id = ?").run(active ? 1 : 0, userId);
}

/** Replaces the password with a generated one, returned once, and signs the user out everywhere. */
export async function resetPassword(db: Db, userId: number): Promise<string> {
  const password = generatePassword();
  const hash = await hashPassword(password);
  db.transaction(() => {
    db.prepare("UPDATE users SET password_hash = ? WHERE id = ?").run(hash, userId);
    db.prepare("DELETE FROM sessions WHERE json_extract(data, '$.passport.user') = ?").run(userId);
  })();
  return password;
}
