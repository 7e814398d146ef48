/** Shared by the staff tests: an instructor agent, a student agent, form posts and reference answers. */
import { readDataFile } from "../../../../grader/exercises";
import { makeUser, signIn, tokenFor, type TestApp } from "../../../helpers/app";
import type { Role, User } from "../../../../server/users/users";

export type Agent = Awaited<ReturnType<typeof signIn>>;

export async function agentFor(t: TestApp, role: Role): Promise<{ user: User; agent: Agent }> {
  const { user, password } = await makeUser(t.db, role);
  return { user, agent: await signIn(t.app, user.email, password) };
}

/** Posts a form the way a browser does, with a CSRF token taken from `page`. */
export async function postForm(agent: Agent, path: string, fields: Record<string, string>, page = "/") {
  return agent
    .post(path)
    .type("form")
    .send({ _csrf: await tokenFor(agent, page), ...fields });
}

export async function referenceAnswer(exerciseId: string, dir = "exercises"): Promise<unknown> {
  const read = await readDataFile(`${dir}/${exerciseId}/reference.yaml`);
  if (!read.ok) throw new Error(read.issue.message);
  return read.data;
}

/** A time as a datetime-local input value (UTC), `hours` from now. */
export function inputTime(hours: number): string {
  return new Date(Date.now() + hours * 3600_000).toISOString().slice(0, 16);
}
