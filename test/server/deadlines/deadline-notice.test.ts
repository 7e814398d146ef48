/** The deadline notice says what the submit check will do, extensions included. */
import { describe, expect, it } from "vitest";
import { describeWindow } from "../../../server/deadlines/student-locals";
import { assessTiming, studentWindow } from "../../../server/deadlines/window";
import type { Deadline } from "../../../server/deadlines/deadlines";

const now = new Date("2026-12-10T12:00:00Z");
const deadline: Deadline = {
  exerciseId: "rollout-plan",
  opensAt: null,
  dueAt: "2026-12-08T12:00:00Z",
  lateUntil: "2026-12-12T12:00:00Z",
  latePolicy: "penalty",
  penaltyPercent: 10,
  updatedAt: "2026-12-01T00:00:00Z",
};
const extension = (lateUntil: string | null) => ({
  exerciseId: "rollout-plan",
  userId: 7,
  dueAt: "2026-12-11T12:00:00Z",
  lateUntil,
  grantedAt: "2026-12-09T00:00:00Z",
});

describe("an extension's notice", () => {
  it("promises no late work when the extension has no late-until, and the submit check refuses it", () => {
    const window = studentWindow(deadline, extension(null));
    const notice = describeWindow(window, now);
    expect(notice.extended).toBe(true);
    expect(notice.policy).toBe("Your extension ends at its due date: work submitted after it is not accepted.");
    expect(notice.lateUntil).toBeNull();
    const afterDue = new Date("2026-12-11T13:00:00Z");
    expect(describeWindow(window, afterDue).state).toBe("closed");
    expect(assessTiming(window, afterDue, 20)).toMatchObject({ ok: false, code: "deadline_passed" });
    expect(assessTiming(window, now, 20)).toEqual({ ok: true, lateDays: 0, latePenalty: 0 });
  });

  it("names the penalty and the cutoff when the extension allows late work", () => {
    const window = studentWindow(deadline, extension("2026-12-13T12:00:00Z"));
    const notice = describeWindow(window, now);
    expect(notice.policy).toBe("Late work loses 10% of the points per started day late.");
    expect(notice.lateUntil).toBe("2026-12-13 12:00 UTC");
    expect(assessTiming(window, new Date("2026-12-12T13:00:00Z"), 20)).toEqual({
      ok: true,
      lateDays: 2,
      latePenalty: 4,
    });
  });

  it("keeps the class's late window for students without one", () => {
    const notice = describeWindow(studentWindow(deadline, undefined), now);
    expect(notice.state).toBe("late");
    expect(notice.lateUntil).toBe("2026-12-12 12:00 UTC");
    expect(notice.policy).toContain("Late work loses 10%");
  });
});
