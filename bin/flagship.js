#!/usr/bin/env node
// Entry point for `npx flagship ...`. Builds the CLI when dist/ is missing or older than the sources
// (after a fresh `npm ci` or a `git pull`), so the command never runs stale code.
import { existsSync, readdirSync, statSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(root, "dist", "cli.js");

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const stale = () =>
  statSync(cli).mtimeMs < Math.max(...["cli", "server", "grader"].map((d) => newestSource(join(root, d))));
if (!existsSync(cli) || process.env.FLAGSHIP_REBUILD === "1" || stale()) {
  execFileSync(process.execPath, [join(root, "scripts", "build.mjs")], { cwd: root, stdio: "inherit" });
}
const { main } = await import(pathToFileURL(cli).href);
process.exitCode = await main(process.argv.slice(2));
