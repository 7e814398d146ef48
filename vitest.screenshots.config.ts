import { defineConfig } from "vitest/config";

/** `npm run screenshots`: saves every page as every role sees it, at 390 and 1280 px (not part of `npm test`). */
export default defineConfig({
  test: {
    include: ["test/screenshots/**/*.screens.ts"],
    globalSetup: ["test/global-setup.ts"],
    pool: "forks",
    maxWorkers: 1,
    testTimeout: 1_800_000,
    hookTimeout: 600_000,
  },
});
