/**
 * Slow and idle clients cannot hold the server: the real app behind the real HTTP server with small
 * limits, driven over raw sockets the way a slowloris client would. No test measures a duration: each
 * waits for the server to act, and the suite's own timeout catches a server that never does (Node's
 * defaults would hold these connections for 60 to 300 s).
 */
import { connect, type Socket } from "node:net";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpServer, httpLimitsFrom } from "../../server/http/server";
import { ConfigError, loadConfig } from "../../server/config";
import { makeTestApp, type TestApp } from "../helpers/app";

let t: TestApp;
let server: Server;
let port: number;

beforeAll(async () => {
  t = await makeTestApp({
    HTTP_HEADERS_TIMEOUT_MS: "1000",
    HTTP_REQUEST_TIMEOUT_MS: "2000",
    HTTP_KEEP_ALIVE_TIMEOUT_MS: "3000",
    HTTP_MAX_CONNECTIONS: "3",
  });
  server = createHttpServer(t.app, httpLimitsFrom(t.config));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await t.close();
});

/** A raw connection, and everything the server sends on it until the connection closes. */
function open(): Promise<{ socket: Socket; closed: Promise<string> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let received = "";
    socket.on("data", (chunk: Buffer) => (received += chunk.toString()));
    const closed = new Promise<string>((done) => socket.once("close", () => done(received)));
    socket.once("error", reject);
    socket.once("connect", () => {
      socket.removeListener("error", reject);
      socket.on("error", () => undefined);
      resolve({ socket, closed });
    });
  });
}

describe("HTTP limits", () => {
  it("closes a connection whose request head never finishes, with 408", async () => {
    const { socket, closed: answer } = await open();
    socket.write("GET /login HTTP/1.1\r\nHost: localhost\r\nX-Slow: ");
    expect(await answer).toMatch(/^HTTP\/1\.1 408 /);
  }, 15_000);

  it("closes a connection whose body trickles, with 408", async () => {
    const { socket, closed: answer } = await open();
    socket.write(
      "POST /login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nemail=",
    );
    const trickle = setInterval(() => socket.writable && socket.write("a"), 200);
    try {
      expect(await answer).toMatch(/^HTTP\/1\.1 408 /);
    } finally {
      clearInterval(trickle);
    }
  }, 15_000);

  it("closes connections beyond the cap on arrival and serves again once one is free", async () => {
    const held = [await open(), await open(), await open()];
    const extra = await open();
    extra.socket.write("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
    expect(await extra.closed).toBe("");
    for (const h of held) h.socket.destroy();
    await Promise.all(held.map((h) => h.closed));
    // The server counts the freed connections once it has seen them close.
    let answer = "";
    for (let i = 0; i < 50 && !answer.startsWith("HTTP/1.1 200"); i++) {
      const again = await open();
      again.socket.write("GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
      answer = await again.closed;
      if (!answer) await new Promise((r) => setTimeout(r, 50));
    }
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
  });

  it("tells keep-alive clients the configured idle limit", async () => {
    const { socket, closed } = await open();
    socket.write("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
    // Kept alive and idle: the server closes it by itself.
    expect(await closed).toMatch(/\r\nKeep-Alive: timeout=3\r\n/i);
  }, 15_000);

  it("has defaults fit for a course server and names a head timeout longer than the request's", () => {
    const config = loadConfig({});
    expect(httpLimitsFrom(config)).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
      maxConnections: 512,
    });
    expect(() => loadConfig({ HTTP_HEADERS_TIMEOUT_MS: "60000", HTTP_REQUEST_TIMEOUT_MS: "30000" })).toThrow(
      ConfigError,
    );
    expect(() => loadConfig({ HTTP_HEADERS_TIMEOUT_MS: "60000", HTTP_REQUEST_TIMEOUT_MS: "30000" })).toThrow(
      /HTTP_HEADERS_TIMEOUT_MS/,
    );
    expect(() => loadConfig({ HTTP_MAX_CONNECTIONS: "0" })).toThrow(/HTTP_MAX_CONNECTIONS/);
  });
});
