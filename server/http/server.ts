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

/** However a shutdown goes, the process is gone by then: a process manager kills -9 at about 10 s. */
export const SHUTDOWN_HARD_LIMIT_MS = 9_000;

export interface ShutdownSteps {
  /** In-flight requests, and whatever `stopWork` waits for, get this long before being cut off. */
  graceMs: number;
  /** Runs at once on the signal, beside the HTTP drain: stop taking work, hand back what is unfinished. */
  stopWork: () => Promise<void>;
  /** Runs when both are done: close the database. */
  onClose: () => void | Promise<void>;
}

/**
 * Starts listening and installs graceful shutdown: on SIGTERM/SIGINT stop accepting, and at the same
 * time let in-flight requests and the work `stopWork` stops finish within the grace period; then run
 * onClose and exit. A backstop exits regardless at SHUTDOWN_HARD_LIMIT_MS.
 */
export function startHttpServer(
  handler: RequestListener,
  options: { port: number; host: string; logger: Logger; limits: HttpLimits } & ShutdownSteps,
): Promise<Server> {
  const server = createHttpServer(handler, options.limits);
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    options.logger.info({ signal }, "shutting down: finishing in-flight requests and gradings");
    const backstop = setTimeout(() => {
      options.logger.error({ limitMs: SHUTDOWN_HARD_LIMIT_MS }, "shutdown took too long; exiting anyway");
      process.exit(1);
    }, SHUTDOWN_HARD_LIMIT_MS);
    const force = setTimeout(() => server.closeAllConnections(), options.graceMs);
    force.unref();
    const drained = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const stopped = Promise.resolve()
      .then(options.stopWork)
      .catch((err: unknown) => options.logger.error({ err }, "stopping work failed"));
    void Promise.all([drained, stopped])
      .then(() => options.onClose())
      .then(
        () => {
          clearTimeout(backstop);
          options.logger.info("shut down cleanly");
          process.exit(0);
        },
        (err: unknown) => {
          options.logger.error({ err }, "closing failed during shutdown");
          process.exit(1);
        },
      );
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve(server));
  });
}
