/**
 * A course with real data in it, for the browser tests that visit every page: four people, a
 * submission on every exercise (a golden sample that misses something, so feedback, counterexamples
 * and hints show), code graded by the real queue and sandbox, a rubric item and an override, a regrade
 * request, a deadline with an extension, released feedback, and a ramp day in progress.
 */
import { readdirSync, readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import type { TestApp } from "../helpers/app";
import { makeUser, signIn } from "../helpers/app";
import { isCodeExercise } from "../../server/course";
import { applyItem, setOverride } from "../../server/review/changes";
import { releaseFeedback } from "../../server/review/release";
import { saveDeadline } from "../../server/deadlines/deadlines";
import { grantExtension } from "../../server/deadlines/extensions";
import { post, referenceAnswer } from "../server/review/review-helpers";
import { saveRun, startRun } from "../../server/simulator/runs";

export type Role = "anonymous" | "student" | "ta" | "instructor";

export interface Person {
  email: string;
  password: string;
  id: number;
}

export interface SeededCourse {
  people: Record<Exclude<Role, "anonymous">, Person>;
  /** Every submission id, and which of them belong to the signed-in student. */
  submissionIds: number[];
  studentSubmissionIds: number[];
  /** The student's interactive ramp days (the staff replay pages). */
  rampDayIds: number[];
}

/** The first golden sample of an exercise whose name sorts first: a wrong answer with feedback. */
function firstSample(exerciseDir: string): unknown {
  const file = readdirSync(`${exerciseDir}/samples`)
    .filter((f) => f.endsWith(".yaml"))
    .sort()[0];
  if (!file) throw new Error(`${exerciseDir} has no golden sample`);
  return (parseYaml(readFileSync(`${exerciseDir}/samples/${file}`, "utf8")) as { answer: unknown }).answer;
}

export async function seedCourse(t: TestApp): Promise<SeededCourse> {
  const make = async (role: "student" | "ta" | "instructor") => {
    const { user, password } = await makeUser(t.db, role);
    return { email: user.email, password, id: user.id };
  };
  const people = { student: await make("student"), ta: await make("ta"), instructor: await make("instructor") };
  const other = await make("student");
  const student = await signIn(t.app, people.student.email, people.student.password);
  const classmate = await signIn(t.app, other.email, other.password);

  const submitAs = async (agent: typeof student, exerciseId: string, answer: unknown): Promise<number> => {
    const csrf = (await agent.get("/api/session")).body.csrfToken as string;
    const res = await agent.post(`/api/exercises/${exerciseId}/submissions`).set("X-CSRF-Token", csrf).send({ answer });
    if (res.status !== 201)
      throw new Error(`submitting ${exerciseId} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body.id as number;
  };

  const studentSubmissionIds: number[] = [];
  const code: number[] = [];
  for (const entry of t.course.exercises) {
    const dir = `${t.course.dirs.exercisesDir}/${entry.exercise.id}`;
    const sample = firstSample(dir);
    const answer = isCodeExercise(entry) ? { code: sample as string } : sample;
    const id = await submitAs(student, entry.exercise.id, answer);
    studentSubmissionIds.push(id);
    if (isCodeExercise(entry)) code.push(id);
  }
  // A second attempt, a classmate's, and feedback staff have worked on.
  const reference = await referenceAnswer();
  const second = await submitAs(student, "purchase-dependencies", reference);
  studentSubmissionIds.push(second);
  const classmateId = await submitAs(classmate, "purchase-dependencies", reference);

  await t.queue.start();
  for (const id of code) {
    for (let i = 0; ; i++) {
      const status = (t.db.prepare("SELECT status FROM submissions WHERE id = ?").get(id) as { status: string }).status;
      if (status === "graded" || status === "error") break;
      if (i > 1200) throw new Error(`submission ${id} was not graded`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const change = { db: t.db, course: t.course, actorId: people.ta.id };
  applyItem(change, {
    submissionId: second,
    itemId: "rationale-email-soft",
    comment: "You explain why the email can wait.",
  });
  setOverride(change, { submissionId: classmateId, score: 12, reason: "Rationale contradicts the chosen fallback" });
  releaseFeedback(t.db, "purchase-dependencies", people.ta.id);
  const regrade = await post(student, `/submissions/${studentSubmissionIds[0]}/regrades`, {
    reason: "My plan names a rollback for every step.",
  });
  if (regrade.status !== 303) throw new Error(`regrade request answered ${regrade.status}`);

  // One exercise is past its due date; the student holds an extension on another.
  const day = 24 * 60 * 60 * 1000;
  const iso = (ms: number) => new Date(Date.now() + ms).toISOString();
  saveDeadline(
    t.db,
    {
      exerciseId: "mock-drift",
      opensAt: null,
      dueAt: iso(-3 * day),
      lateUntil: iso(-day),
      latePolicy: "penalty",
      penaltyPercent: 10,
    },
    people.instructor.id,
  );
  saveDeadline(
    t.db,
    {
      exerciseId: "compatible-changes",
      opensAt: null,
      dueAt: iso(-day),
      lateUntil: null,
      latePolicy: "no-credit",
      penaltyPercent: 0,
    },
    people.instructor.id,
  );
  grantExtension(
    t.db,
    { exerciseId: "compatible-changes", userId: people.student.id, dueAt: iso(2 * day), lateUntil: null },
    people.instructor.id,
  );

  // The student is half-way through a ramp day, so the walk checks the simulator with its charts.
  const run = startRun(t.db, people.student.id, "rollout-simulator", 3);
  saveRun(
    t.db,
    run,
    [
      { action: "hold", metric: "errorRate", group: "all" },
      { action: "advance", metric: "latencyP99", group: "city:harbor", note: "both arms alike" },
    ],
    null,
  );

  const submissionIds = (t.db.prepare("SELECT id FROM submissions ORDER BY id").all() as { id: number }[]).map(
    (r) => r.id,
  );
  return { people, submissionIds, studentSubmissionIds, rampDayIds: [run] };
}
