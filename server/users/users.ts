/** The users table: typed rows and the queries every part of the server uses. */
import { z } from "zod";
import type { Db } from "../db/database";
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

interface UserRow {
  id: number;
  email: string;
  name: string;
  role: string;
  active: number;
  created_at: string;
  password_hash: string;
}

function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: roleSchema.parse(row.role),
    active: row.active === 1,
    createdAt: row.created_at,
  };
}

export const emailSchema = z.string().trim().toLowerCase().email("must be an email address").max(254);
export const nameSchema = z.string().trim().min(1, "is required").max(120, "must be at most 120 characters");

export function countUsers(db: Db): number {
  return db.prepare("SELECT count(*) FROM users").pluck().get() as number;
}

export function findUserById(db: Db, id: number): User | undefined {
  const row = db.prepare("SELECT * FROM users WHERE id = ?").get(id) as UserRow | undefined;
  return row && toUser(row);
}

/** Returns the user and the stored hash, for login only. */
export function findUserForLogin(db: Db, email: string): { user: User; passwordHash: string } | undefined {
  const row = db.prepare("SELECT * FROM users WHERE email = ?").get(email.trim()) as UserRow | undefined;
  return row && { user: toUser(row), passwordHash: row.password_hash };
}

export function listUsers(db: Db): User[] {
  const rows = db.prepare("SELECT * FROM users ORDER BY role DESC, name COLLATE NOCASE").all() as UserRow[];
  return rows.map(toUser);
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
  const total = db.prepare(`SELECT count(*) FROM users ${where}`).pluck().get(...params) as number;
  const pages = Math.max(1, Math.ceil(total / perPage));
  const page = Math.min(Math.max(1, Math.floor(input.page ?? 1)), pages);
  const rows = db
    .prepare(`SELECT * FROM users ${where} ORDER BY role DESC, name COLLATE NOCASE LIMIT ? OFFSET ?`)
    .all(...params, perPage, (page - 1) * perPage) as UserRow[];
  return { users: rows.map(toUser), total, page, pages, perPage };
}

export class DuplicateEmailError extends Error {
  constructor(email: string) {
    super(`A user with email ${email} already exists.`);
  }
}

/** A generated password and its hash; hashing is slow, so batch callers do it before a transaction. */
export async function newCredentials(password = generatePassword()): Promise<{ password: string; passwordHash: string }> {
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
