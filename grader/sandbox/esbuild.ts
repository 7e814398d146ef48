/**
 * esbuild, loaded with `require`. Imported from an ES module, its CommonJS entry is first scanned
 * whole for the names it exports, about 18 ms of a cold `flagship grade` spent before the grader can
 * start.
 */
import { createRequire } from "node:module";
import type * as Esbuild from "esbuild";

export const esbuild = createRequire(import.meta.url)("esbuild") as typeof Esbuild;
