/**
 * What hostile code would like to reach, set up once per test file: a scratch folder with a fake
 * database holding a secret, a secret in the grader's environment, and a loopback server that counts
 * connections. The tests then check none of it leaked or was touched.
 */
import { once } from "node:events";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";

export interface Targets {
  scratch: string;
  dbFile: string;
  /** Strings that must never appear in anything the sandbox sends back. */
  secrets: string[];
  port: () => number;
  connections: () => number;
}

export function plantTargets(name: string): Targets {
  const scratch = mkdtempSync(join(tmpdir(), `flagship-${name}-`));
  const dbFile = join(scratch, "flagship.db");
  const dbSecret = `DB-SECRET-${name}`;
  const envSecret = `ENV-SECRET-${name}`;
  writeFileSync(dbFile, `SQLite format 3 ${dbSecret}`);
  process.env["FLAGSHIP_TEST_SECRET"] = envSecret;
  let server: Server | undefined;
  let port = 0;
  let connections = 0;
  beforeAll(async () => {
    server = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => server?.close());
  return {
    scratch,
    dbFile,
    secrets: [dbSecret, envSecret, "root:x:0:0"],
    port: () => port,
    connections: () => connections,
  };
}
