import { createServer, type Server } from "node:http";
import type { RequestListener } from "node:http";
import type { Logger } from "../logger";

/**
 * Starts listening and installs graceful shutdown: on SIGTERM/SIGINT stop accepting, let in-flight
 * requests finish (up to a grace period), then run onClose (closing the database) and exit.
 */
export function startHttpServer(
  handler: RequestListener,
  options: { port: number; host: string; logger: Logger; onClose: () => void | Promise<void>; graceMs?: number },
): Promise<Server> {
  const server = createServer(handler);
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    options.logger.info({ signal }, "shutting down: finishing in-flight requests");
    const force = setTimeout(() => server.closeAllConnections(), options.graceMs ?? 10_000);
    force.unref();
    server.close(() => {
      void Promise.resolve(options.onClose()).finally(() => {
        options.logger.info("shut down cleanly");
        process.exit(0);
      });
    });
    server.closeIdleConnections();
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve(server));
  });
}
