// Transpiles the TypeScript entry points into dist/ with esbuild. Dependencies stay external
// (they are installed by npm ci); only our own code is bundled, so a build takes well under a second.
import { build } from "esbuild";
import { existsSync, readFileSync } from "node:fs";

const entries = {
  server: "server/main.ts",
  cli: "cli/main.ts",
  bench: "bench/main.ts",
};

const entryPoints = Object.fromEntries(Object.entries(entries).filter(([, file]) => existsSync(file)));

await build({
  entryPoints,
  outdir: "dist",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: "linked",
  logLevel: "warning",
});

// The engine host as the sandbox loads it (grader/sandbox/engine-bundle.ts), built here so that
// a cold `flagship grade` does not bundle it at start.
const hostBundle = JSON.parse(readFileSync("grader/sandbox/host-bundle.json", "utf8"));
await build({
  ...hostBundle.esbuild,
  entryPoints: [hostBundle.entry],
  outfile: hostBundle.outfile,
  logLevel: "warning",
});

if (existsSync("client/main.ts")) {
  // Browser code (editor, dynamic forms) is bundled with its libraries into one file served as static.
  await build({
    entryPoints: { app: "client/main.ts" },
    outdir: "dist/public",
    bundle: true,
    platform: "browser",
    format: "esm",
    target: "es2020",
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    minify: true,
    sourcemap: "linked",
    logLevel: "warning",
  });
}
