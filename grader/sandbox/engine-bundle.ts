/**
 * What starts an engine host (engine-host.ts): a small loader program for `node -e`, and the first
 * line it reads on stdin, which carries the host bundled with the QuickJS library (built here once
 * per process with esbuild) and the QuickJS WebAssembly bytes. The host can read no files, so
 * everything it runs comes down the pipe.
 */
import { buildSync, transform } from "esbuild";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
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

let bootLine: string | undefined;

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
  const built = buildSync({ ...HOST_BUNDLE_OPTIONS, entryPoints: [hostSourcePath()], write: false });
  const bundle = built.outputFiles[0]?.text;
  if (!bundle) throw new Error("could not bundle the engine host");
  return bundle;
}

/** The loader's first line: `{"bundle": …, "wasm": base64}` and a newline. Built once per process. */
export function engineBootLine(): string {
  if (bootLine) return bootLine;
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

const minified = new Map<string, Promise<string>>();

/**
 * A session factory's text, minified once per process: like guest.ts, QuickJS parses it for every
 * execution. Identifiers are kept, so what a student's code sees (function and class names) is as
 * written. Asynchronous, through the esbuild service that transpiles the submission: the synchronous
 * API would start a worker thread and a second esbuild process on a cold start.
 */
export function sessionSource(factory: (...args: never[]) => unknown): Promise<string> {
  const text = String(factory);
  let small = minified.get(text);
  if (small === undefined) {
    // Whitespace only: syntax minification would drop the expression as unused.
    small = transform(`(${text})`, { minifyWhitespace: true, target: "es2022", logLevel: "silent" }).then((out) => {
      const code = out.code.trim();
      const expression = code.endsWith(";") ? code.slice(0, -1) : code;
      if (!expression) throw new Error("could not minify a session factory");
      return expression;
    });
    // A failed minification is not kept: the next grading tries again.
    small.catch(() => minified.delete(text));
    minified.set(text, small);
  }
  return small;
}
