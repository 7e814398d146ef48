// typescript-eslint with type information over every TypeScript file tsconfig.json covers. `npm run lint`
// runs it beside knip and `prettier --check`.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** Evaluated inside QuickJS as text (`String(fn)`), not as modules: see the block below. */
/** docs/ARCHITECTURE.md's layers: grading is pure (no HTTP, no database, nothing of the server). */
const pureGrader = {
  paths: ["express", "better-sqlite3"].map((name) => ({ name, message: "grader/ is pure: no HTTP, no SQL" })),
  patterns: [
    {
      group: ["**/server/**", "**/cli/**", "**/views/**"],
      message: "grader/ imports nothing of server/, cli/ or views/",
    },
  ],
};

const guestCode = ["grader/sandbox/guest.ts", "grader/sandbox/session.ts", "grader/*/session.ts"];

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "dist/",
      "data/",
      "coverage/",
      "screenshots/",
      ".tmp/",
      // Students' files (starters, references, golden samples, test fixtures): code to be graded, checked
      // by the grader and by `flagship exercises check`, not held to our rules.
      "exercises/",
      "test/grader/code/fixtures/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          // The plain JavaScript files outside tsconfig.json's include (this config, bin/, scripts/).
          allowDefaultProject: ["*.js", "bin/*.js", "scripts/*.mjs"],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // `_name` marks a parameter a signature needs and the body does not, as tsc's noUnused* checks allow.
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
      // Off: an `async` function without `await` is how this code implements a Promise-returning contract
      // (ExerciseKind.grade, the bench entries, QuickJS's variant hooks), and it turns a throw into a
      // rejection, which is what those callers handle. Dropping `async` to please the rule would not.
      "@typescript-eslint/require-await": "off",
    },
  },
  {
    files: ["grader/**/*.ts"],
    rules: { "no-restricted-imports": ["error", pureGrader] },
  },
  {
    // The sandbox knows no exercise kind: the kinds use it, never the other way round.
    files: ["grader/sandbox/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          ...pureGrader,
          patterns: [
            ...pureGrader.patterns,
            { group: ["../*/**", "!../result"], message: "grader/sandbox/ imports only grader/result.ts from outside" },
          ],
        },
      ],
    },
  },
  {
    files: guestCode,
    rules: {
      // The guest takes built-ins (`Promise.prototype.then`, the host's functions) into locals before the
      // student's code runs, so that code cannot replace them: calling them unbound is the point.
      "@typescript-eslint/unbound-method": "off",
      // It calls the student's exports, which are `Function`s by nature: they are checked with `typeof`
      // and whatever they return is the student's answer, judged by the grader.
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      // A promise chained with the engine's own `then` has its rejection watched by the guest itself
      // (see `watch` in guest.ts); `void` there would add nothing the engine needs.
      "@typescript-eslint/no-floating-promises": "off",
    },
  },
  {
    // Tests read supertest's `res.body`, typed `any` by supertest: the assertions check its shape, and a
    // wrong one fails the test. The rules stay on for everything the product runs.
    files: ["test/**/*.ts"],
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-return": "off",
    },
  },
  {
    // Plain Node scripts: no types to check against.
    files: ["**/*.js", "**/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      globals: { process: "readonly", console: "readonly", structuredClone: "readonly" },
    },
  },
);
