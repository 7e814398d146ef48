/**
 * What starts an engine host (engine-host.ts): a small loader program for `node -e`, and the first
 * line it reads on stdin, which carries the host bundled with the QuickJS library (built here once
 * per process with esbuild) and the QuickJS WebAssembly bytes. The host can read no files, so
 * everything it runs comes down the pipe.
 *
 * Nothing here loads esbuild unless the prebuilt host is missing: `flagship grade` starts a host
 * before it loads the grader (cli/commands/grade.ts), and esbuild takes 50 ms to load.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { buildSync as BuildSync } from "esbuild";
import { fileURLToPath } from "node:url";
import hostBundle from "./host-bundle.json";

/** The global the bundle defines; the loader calls its `main`. */
const GLOBAL_NAME = hostBundle.esbuild.globalName;

/**
 * Reads the first line, runs the bundle it carries with Node's `require`, and hands the rest of
 * stdin to the host. A Script has no dynamic import(); the bundle needs none.
 */
export function loaderSource(protocolFd: number): string {
  return `"use strict";
const vm = require("vm");
const chunks = [];
process.stdin.setEncoding("utf8");
const onData = (chunk) => {
  chunks.push(chunk);
  if (chunk.indexOf("\\n") < 0) return;
  // Paused until the host listens: a flowing stream with no listener would drop what comes next.
  process.stdin.off("data", onData);
  process.stdin.pause();
  const input = chunks.join("");
  const newline = input.indexOf("\\n");
  const boot = JSON.parse(input.slice(0, newline));
  new vm.Script(boot.bundle, { filename: "engine-host.js" }).runInThisContext();
  const start = { require, wasm: Buffer.from(boot.wasm, "base64"), protocolFd: ${protocolFd}, pending: input.slice(newline + 1) };
  ${GLOBAL_NAME}.main(start).catch((error) => {
    require("fs").writeSync(${protocolFd}, JSON.stringify({ t: "crash", exec: null, error: "engine host: " + String(error && error.message) }) + "\\n");
    process.exit(70);
  });
};
process.stdin.on("data", onData);`;
}

let bootLine: Buffer | string | undefined;

/**
 * How the host is bundled, shared with scripts/build.mjs, which prebuilds dist/engine-host.js so a
 * cold `flagship grade` from dist/ does not bundle at start. Minified above all for guest.ts, whose
 * text QuickJS parses once per submission (about a microsecond for every few bytes); everything but
 * Node's own modules goes in, since the host can load nothing inside the sandbox.
 */
const HOST_BUNDLE_OPTIONS = { ...hostBundle.esbuild, format: "iife", platform: "node", logLevel: "silent" } as const;

/** The host bundle: prebuilt beside dist/cli.js or dist/server.js, else bundled from source now. */
function hostBundleText(): string {
  const prebuilt = fileURLToPath(new URL("./engine-host.js", import.meta.url));
  if (existsSync(prebuilt)) return readFileSync(prebuilt, "utf8");
  const { buildSync } = createRequire(import.meta.url)("esbuild") as { buildSync: typeof BuildSync };
  const built = buildSync({ ...HOST_BUNDLE_OPTIONS, entryPoints: [hostSourcePath()], write: false });
  const bundle = built.outputFiles[0]?.text;
  if (!bundle) throw new Error("could not bundle the engine host");
  return bundle;
}

/**
 * The loader's first line: `{"bundle": …, "wasm": base64}` and a newline. Prebuilt beside dist/cli.js
 * or dist/server.js by scripts/build.mjs (a cold `flagship grade` then neither decodes the bundle nor
 * encodes the WebAssembly, about 15 ms), else built here. Once per process.
 */
export function engineBootLine(): Buffer | string {
  if (bootLine) return bootLine;
  const prebuilt = fileURLToPath(new URL("./engine-boot.line", import.meta.url));
  if (existsSync(prebuilt)) return (bootLine = readFileSync(prebuilt));
  const require = createRequire(import.meta.url);
  const wasm = readFileSync(require.resolve("@jitl/quickjs-wasmfile-release-sync/wasm")).toString("base64");
  bootLine = `${JSON.stringify({ bundle: hostBundleText(), wasm })}\n`;
  return bootLine;
}

/** The host's source: beside this file when run from source, under grader/ when run from dist/. */
function hostSourcePath(): string {
  for (const relative of ["./engine-host.ts", "../grader/sandbox/engine-host.ts"]) {
    const path = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error("the engine host's source (grader/sandbox/engine-host.ts) is missing");
}
