/**
 * First start: when the database has no users, create a demo course (one instructor, one TA, two
 * students) with generated passwords, returned once so the caller can print them. There are no
 * fixed default passwords anywhere.
 */
import type { Db } from "./db/database";
import { countUsers, createUser, type Role } from "./users/users";

export interface DemoAccount {
  email: string;
  name: string;
  role: Role;
  password: string;
}

const demoPeople: Array<Omit<DemoAccount, "password">> = [
  { email: "instructor@example.edu", name: "Ada Instructor", role: "instructor" },
  { email: "ta@example.edu", name: "Grace TA", role: "ta" },
  { email: "student1@example.edu", name: "Alan Student", role: "student" },
  { email: "student2@example.edu", name: "Barbara Student", role: "student" },
];

export async function seedDemoCourseIfEmpty(db: Db): Promise<DemoAccount[]> {
  if (countUsers(db) > 0) return [];
  const accounts: DemoAccount[] = [];
  for (const person of demoPeople) {
    const { password } = await createUser(db, person);
    accounts.push({ ...person, password });
  }
  return accounts;
}

export function formatDemoAccounts(accounts: DemoAccount[], url: string): string {
  const width = Math.max(...accounts.map((a) => a.email.length));
  return [
    "",
    "Demo course created. Sign in at " + url + " with one of these accounts.",
    "The passwords are shown this once. Lost one? An instructor can reset it on the Roster page, or run",
    "`npx flagship user reset-password --email <email>`.",
    "",
    ...accounts.map((a) => `  ${a.role.padEnd(10)} ${a.email.padEnd(width)}  ${a.password}`),
    "",
  ].join("\n");
}
