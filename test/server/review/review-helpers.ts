/** Shared setup for the staff review tests: students submitting through the real form, staff agents, form posts. */
import { readDataFile } from "../../../grader/exercises";
import { makeUser, signIn, tokenFor, type TestApp } from "../../helpers/app";
import { encodeForm, toFormFields } from "../../helpers/forms";

export const exerciseId = "purchase-dependencies";

export async function referenceAnswer(): Promise<unknown> {
  const read = await readDataFile(`exercises/${exerciseId}/reference.yaml`);
  if (!read.ok) throw new Error(read.issue.message);
  return read.data;
}

export type Agent = Awaited<ReturnType<typeof signIn>>;

export async function person(t: TestApp, role: "student" | "ta" | "instructor" = "student") {
  const { user, password } = await makeUser(t.db, role);
  return { user, agent: await signIn(t.app, user.email, password) };
}

/** Submits through the real exercise form; structured answers are graded at once. Returns the submission id. */
export async function submit(agent: Agent, answer: unknown): Promise<number> {
  const res = await agent
    .post(`/exercises/${exerciseId}/submissions`)
    .type("form")
    .send(encodeForm({ _csrf: await tokenFor(agent, `/exercises/${exerciseId}`), ...toFormFields(answer) }));
  if (res.status !== 303) throw new Error(`submit failed with ${res.status}`);
  return Number(/\/submissions\/(\d+)/.exec(res.headers.location ?? "")?.[1]);
}

/** Posts a form with a fresh CSRF token, as a browser would. */
export async function post(agent: Agent, path: string, fields: Record<string, string | string[]> = {}) {
  return agent
    .post(path)
    .type("form")
    .send(encodeForm({ _csrf: await tokenFor(agent, "/"), ...fields }));
}
