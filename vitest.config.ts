import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    // Two cores in CI: run test files in parallel but keep the sandboxed grader tests from starving each other.
    pool: "forks",
    maxWorkers: 2,
    // Generous: CI shares its two cores with other work, and a grading under load takes several times
    // longer than idle. No verdict depends on time (budgets are counted in work and simulated time).
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
