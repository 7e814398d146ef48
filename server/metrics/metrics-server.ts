/**
 * /metrics on a port of its own (METRICS_PORT, bound to METRICS_HOST, loopback unless told), not on
 * the web app: Prometheus scrapes without a session, and the figures (queue depth, failures) are for
 * operators, so they stay off the public port. Expose it to the scraper's network only.
 */
import { createServer, type Server } from "node:http";
import type { Registry } from "prom-client";

export function startMetricsServer(registry: Registry, options: { port: number; host: string }): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== "GET" || req.url !== "/metrics") {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("Only GET /metrics is served here.\n");
      return;
    }
    registry
      .metrics()
      .then((text) => res.writeHead(200, { "Content-Type": registry.contentType }).end(text))
      .catch((err: unknown) =>
        res
          .writeHead(500, { "Content-Type": "text/plain" })
          .end(`metrics failed: ${err instanceof Error ? err.message : String(err)}\n`),
      );
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve(server));
  });
}
