/**
 * The dark-launch module's flag client follows the OpenFeature evaluation API: the grader answers each
 * evaluation as a provider would (targeting, a stable split on the targeting key, the caller's default
 * with an error code when it cannot evaluate), and student code in the real sandbox gets those answers,
 * details included. Code written against the first version's `flags.get` still grades the same.
 */
import { describe, expect, it } from "vitest";
import { typecheckSubmission } from "../../../grader/sandbox/typecheck";
import { declaredModuleFor } from "../../../server/queue/declared-types";
import { bucketOf } from "../../../grader/dark-launch/contract";
import { answerFlagCall } from "../../../grader/dark-launch/flag-client";
import { gradeDarkLaunch } from "../../../grader/dark-launch/grade";
import type { JsonValue } from "../../../grader/result";
import { failing, loadExercise, readExerciseFile, readSamples, test } from "./helpers";

const ramp = (percent: number) => ({ mode: "ramp", percent }) as const;
/** Two riders' ids on either side of a 50% ramp. */
const ids = Array.from({ length: 200 }, (_, i) => `rider-${i}`);
const inside = ids.find((id) => bucketOf(id) < 50) ?? "";
const outside = ids.find((id) => bucketOf(id) >= 50) ?? "";

describe("flag evaluations answered as an OpenFeature provider would", () => {
  it("targets employees first, then splits a ramp on the targeting key, and is off in the dark launch", () => {
    const employee = { targetingKey: outside, employee: true };
    expect(answerFlagCall("getBooleanValue", ["priority-rides", false, employee], { mode: "off" })).toEqual({
      ok: true,
      value: false,
    });
    expect(answerFlagCall("getBooleanValue", ["priority-rides", false, employee], { mode: "employees" })).toEqual({
      ok: true,
      value: true,
    });
    expect(
      answerFlagCall("getBooleanValue", ["priority-rides", false, { targetingKey: inside }], { mode: "employees" }),
    ).toEqual({ ok: true, value: false });
    expect(answerFlagCall("getBooleanValue", ["priority-rides", false, { targetingKey: inside }], ramp(50))).toEqual({
      ok: true,
      value: true,
    });
    expect(answerFlagCall("getBooleanValue", ["priority-rides", false, { targetingKey: outside }], ramp(50))).toEqual({
      ok: true,
      value: false,
    });
    expect(answerFlagCall("getBooleanDetails", ["priority-rides", false, { targetingKey: inside }], ramp(50))).toEqual({
      ok: true,
      value: { flagKey: "priority-rides", value: true, variant: "on", reason: "SPLIT", flagMetadata: {} },
    });
  });

  it("answers the caller's default, with an error code, whenever it cannot evaluate", () => {
    const details = (method: string, args: JsonValue[]) => {
      const answer = answerFlagCall(method, args, ramp(50));
      return answer.ok ? answer.value : answer.message;
    };
    expect(details("getBooleanDetails", ["priority_rides", true, { targetingKey: outside }])).toMatchObject({
      value: true,
      reason: "ERROR",
      errorCode: "FLAG_NOT_FOUND",
    });
    expect(details("getBooleanDetails", ["priority-rides", true, {}])).toMatchObject({
      value: true,
      reason: "ERROR",
      errorCode: "TARGETING_KEY_MISSING",
    });
    expect(details("getStringDetails", ["priority-rides", "off", { targetingKey: inside }])).toMatchObject({
      value: "off",
      errorCode: "TYPE_MISMATCH",
    });
    expect(details("getBooleanDetails", ["priority-rides", false, { targetingKey: 7 }])).toMatchObject({
      value: false,
      errorCode: "INVALID_CONTEXT",
    });
    // A default of the wrong type is the caller's mistake, named like a type error would be.
    expect(details("getBooleanValue", ["priority-rides", "no", {}])).toBe(
      "flags.getBooleanValue(flagKey, defaultValue, context): defaultValue must be a boolean",
    );
    expect(details("isEnabled", ["priority-rides"])).toMatch(/^flags\.isEnabled is not a flag evaluation method/);
  });

  it("still answers the first version's raw flag state, and off for an unknown name", () => {
    expect(answerFlagCall("get", ["priority-rides"], ramp(10))).toEqual({
      ok: true,
      value: { mode: "ramp", percent: 10 },
    });
    expect(answerFlagCall("get", ["priority_rides"], ramp(10))).toEqual({ ok: true, value: { mode: "off" } });
  });
});

describe("the OpenFeature client in the sandbox", async () => {
  const exercise = await loadExercise();
  const solution = await readExerciseFile("solution.ts");

  it("gives evaluation details to student code: a handler that trusts only split and targeting answers grades in full", async () => {
    const careful = solution.replace(
      /\(await deps\.flags\.getBooleanValue\(([^)]*)\)\)/,
      '((d) => d.value && (d.reason === "SPLIT" || d.reason === "TARGETING_MATCH"))(await deps.flags.getBooleanDetails($1))',
    );
    expect(careful).not.toBe(solution);
    const result = await gradeDarkLaunch(exercise, careful);
    expect(result.score).toBe(20);
  });

  it("declares the client so that both the OpenFeature reference and the first version's code type-check", async () => {
    const declared = declaredModuleFor("dark-launch");
    if (!declared) throw new Error("dark-launch declares no module");
    const raw = (await readSamples()).find((s) => s.name === "raw-flag-state");
    expect(typecheckSubmission(solution, declared)).toEqual([]);
    expect(typecheckSubmission(raw?.answer ?? "", declared)).toEqual([]);
    const wrongDefault = solution.replace(
      'getBooleanValue("priority-rides", false,',
      'getBooleanValue("priority-rides", "off",',
    );
    expect(typecheckSubmission(wrongDefault, declared)).toEqual([
      expect.objectContaining({ message: expect.stringContaining("not assignable to parameter of type 'boolean'") }),
    ]);
  });

  it("grades code written against flags.get exactly as before", async () => {
    const raw = (await readSamples()).find((s) => s.name === "raw-flag-state");
    expect(raw?.answer).toContain('deps.flags.get("priority-rides")');
    const result = await gradeDarkLaunch(exercise, raw?.answer ?? "");
    expect(result.score).toBe(20);
  });

  it("turns on what the default value says when the key is misspelt", async () => {
    const typo = solution.replace(
      'getBooleanValue("priority-rides", false,',
      'getBooleanValue("priority_rides", true,',
    );
    const result = await gradeDarkLaunch(exercise, typo);
    expect(failing(result)).toEqual(["employees-first", "no-op-calls", "no-op-response", "ramp-buckets", "ramp-share"]);
    expect(test(result, "no-op-response").hint).toMatch(/no-op/);
  });
});
