// Transpiles the TypeScript entry points into dist/ with esbuild. Dependencies stay external
// (they are installed by npm ci); only our own code is bundled, so a build takes well under a second.
import { build } from "esbuild";
import { existsSync } from "node:fs";

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
