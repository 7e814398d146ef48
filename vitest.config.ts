import { defineConfig } from "vitest/config";

/**
 * Files whose tests grade in the real sandbox, one engine host or more each. They run in a project
 * of their own, one file at a time, after everything else: two of them side by side, or one beside a
 * browser test, starved each other's hosts on two cores.
 */
const SANDBOX_HEAVY = [
  "test/grader/sandbox/**/*.test.ts",
  "test/grader/code/**/*.test.ts",
  "test/grader/dark-launch/**/*.test.ts",
  "test/grader/functional-tests/**/*.test.ts",
  "test/cli/grade-code.test.ts",
  "test/server/pages/exercises/code-kinds.test.ts",
  "test/grader/rollout-sim/code-policy.test.ts",
];

export default defineConfig({
  test: {
    globalSetup: ["test/global-setup.ts"],
    pool: "forks",
    // Generous: CI shares its two cores with other work, and a grading under load takes several times
    // longer than idle. No verdict depends on time (budgets are counted in work and simulated time).
    testTimeout: 180_000,
    hookTimeout: 180_000,
    projects: [
      {
        extends: true,
        test: { name: "app", include: ["test/**/*.test.ts"], exclude: SANDBOX_HEAVY, maxWorkers: 2 },
      },
      {
        extends: true,
        // A later group: vitest runs groups one after another, each with its own worker count.
        test: { name: "sandbox", include: SANDBOX_HEAVY, maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
