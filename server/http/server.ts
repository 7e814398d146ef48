import { createServer, type Server } from "node:http";
import type { RequestListener } from "node:http";
import type { Logger } from "../logger";

export interface HttpLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnections: number;
}

export function httpLimitsFrom(config: {
  HTTP_HEADERS_TIMEOUT_MS: number;
  HTTP_REQUEST_TIMEOUT_MS: number;
  HTTP_KEEP_ALIVE_TIMEOUT_MS: number;
  HTTP_MAX_CONNECTIONS: number;
}): HttpLimits {
  return {
    headersTimeoutMs: config.HTTP_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    maxConnections: config.HTTP_MAX_CONNECTIONS,
  };
}

/**
 * An HTTP server that a few slow or idle clients cannot hold: head and request deadlines (408, then
 * the connection is closed), a keep-alive idle limit, and a cap on open connections (more are closed
 * on arrival). Node checks the deadlines on a timer, every 30 s by default; once a second keeps a
 * deadline close to what it says.
 */
export function createHttpServer(handler: RequestListener, limits: HttpLimits): Server {
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
    },
    handler,
  );
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxConnections = limits.maxConnections;
  return server;
}

/**
 * Starts listening and installs graceful shutdown: on SIGTERM/SIGINT stop accepting, let in-flight
 * requests finish (up to a grace period), then run onClose (closing the database) and exit.
 */
export function startHttpServer(
  handler: RequestListener,
  options: { port: number; host: string; logger: Logger; limits: HttpLimits; onClose: () => void | Promise<void>; graceMs?: number },
): Promise<Server> {
  const server = createHttpServer(handler, options.limits);
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
