/** Reads "method path" for every route an express app serves, with mount prefixes resolved. */
import type { Express } from "express";

interface RouterLayer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: RouterLayer[] };
  slash?: boolean;
  matchers?: Array<(path: string) => unknown>;
}

export function appRoutes(app: Express): string[] {
  const out: string[] = [];
  const walk = (stack: RouterLayer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) out.push(`${method} ${prefix}${layer.route.path}`);
      } else if (layer.handle?.stack) {
        const match = layer.matchers?.[0];
        const mount = layer.slash || !match ? "" : (["/api", "/admin", "/staff"].find((p) => match(p)) ?? "/?");
        walk(layer.handle.stack, prefix + mount);
      }
    }
  };
  walk((app as unknown as { router: { stack: RouterLayer[] } }).router.stack, "");
  return [...new Set(out)];
}
