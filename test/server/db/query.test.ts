import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { openDatabase, type Db } from "../../../server/db/database";
import {
  camelRow,
  execute,
  jsonColumn,
  queryRow,
  queryRows,
  queryValue,
  queryValues,
  RowShapeError,
  sqliteBoolean,
} from "../../../server/db/query";
import { createUser, findUserById } from "../../../server/users/users";
import { getDeadline, saveDeadline } from "../../../server/deadlines/deadlines";

let db: Db;

beforeAll(() => {
  db = openDatabase(join(mkdtempSync(join(tmpdir(), "flagship-query-")), "flagship.db"));
  db.exec("CREATE TABLE things (id INTEGER PRIMARY KEY, display_name TEXT, is_on INTEGER, data TEXT)");
  db.prepare("INSERT INTO things (display_name, is_on, data) VALUES (?, ?, ?)").run("one", 1, '{"a":[1,2]}');
  db.prepare("INSERT INTO things (display_name, is_on, data) VALUES (?, ?, ?)").run("two", 0, "[]");
});
afterAll(() => db.close());

const thing = camelRow({ id: z.number(), display_name: z.string(), is_on: sqliteBoolean, data: jsonColumn });

describe("rows typed at the boundary", () => {
  it("parses rows into the program's names and types, with positional or named parameters", () => {
    expect(queryRow(db, "SELECT * FROM things WHERE id = ?", [1], thing)).toEqual({
      id: 1,
      displayName: "one",
      isOn: true,
      data: { a: [1, 2] },
    });
    expect(queryRow(db, "SELECT * FROM things WHERE display_name = @name", { name: "two" }, thing)).toEqual({
      id: 2,
      displayName: "two",
      isOn: false,
      data: [],
    });
    expect(queryRow(db, "SELECT * FROM things WHERE id = ?", [99], thing)).toBeUndefined();
    expect(queryRows(db, "SELECT * FROM things ORDER BY id", [], thing).map((t) => t.displayName)).toEqual([
      "one",
      "two",
    ]);
    expect(queryValue(db, "SELECT count(*) FROM things", [], z.number())).toBe(2);
    expect(queryValues(db, "SELECT display_name FROM things ORDER BY id DESC", [], z.string())).toEqual(["two", "one"]);
  });

  it("prepares each statement once, keeping rows and bare values apart, and follows a table that changed", () => {
    const sql = "SELECT display_name FROM things WHERE id = ?";
    // The same text read as a row and as a value, in both orders: neither turns the other into its kind.
    expect(queryRow(db, sql, [1], z.object({ display_name: z.string() }))).toEqual({ display_name: "one" });
    expect(queryValue(db, sql, [1], z.string())).toBe("one");
    expect(queryRow(db, sql, [2], z.object({ display_name: z.string() }))).toEqual({ display_name: "two" });
    expect(execute(db, "UPDATE things SET display_name = ? WHERE id = ?", ["uno", 1]).changes).toBe(1);
    expect(queryValue(db, sql, [1], z.string())).toBe("uno");
    // A statement prepared before a migration still reads the table as it is now.
    const all = "SELECT * FROM things WHERE id = ?";
    expect(Object.keys(queryRow(db, all, [1], z.record(z.string(), z.unknown())) ?? {})).not.toContain("added");
    db.exec("ALTER TABLE things ADD COLUMN added TEXT DEFAULT 'yes'");
    expect(queryRow(db, all, [1], z.object({ added: z.string() }))).toEqual({ added: "yes" });
    execute(db, "UPDATE things SET display_name = ? WHERE id = ?", ["one", 1]);
  });

  it("throws on a row that does not have the promised shape, naming the column and the query", () => {
    db.prepare("INSERT INTO things (display_name, is_on, data) VALUES (?, ?, ?)").run(null, 2, "{not json");
    const read = (schema: z.ZodType<unknown>) => () => queryRow(db, "SELECT * FROM things WHERE id = 3", [], schema);
    expect(read(thing)).toThrow(RowShapeError);
    expect(read(thing)).toThrow(/column display_name: .*\(query: SELECT \* FROM things WHERE id = 3\)/);
    expect(read(camelRow({ is_on: sqliteBoolean }))).toThrow(/column is_on: /);
    expect(read(camelRow({ data: jsonColumn }))).toThrow(/column data: is not valid JSON/);
    expect(() => queryValues(db, "SELECT display_name FROM things", [], z.string())).toThrow(
      /column \(the row itself\): /,
    );
  });

  it("guards the real tables too: a role the program does not know is an error, not a User", async () => {
    const { user } = await createUser(db, {
      email: "row@example.edu",
      name: "Row",
      role: "student",
      password: "a-password-long-enough",
    });
    expect(findUserById(db, user.id)).toEqual({ ...user, active: true });
    // The CHECK constraint normally keeps this out; a migration gone wrong is what the schema catches.
    db.pragma("ignore_check_constraints = ON");
    db.prepare("UPDATE users SET role = 'admin' WHERE id = ?").run(user.id);
    db.pragma("ignore_check_constraints = OFF");
    expect(() => findUserById(db, user.id)).toThrow(/column role: /);

    saveDeadline(
      db,
      {
        exerciseId: "rollout-plan",
        opensAt: null,
        dueAt: "2026-12-01T00:00:00.000Z",
        lateUntil: null,
        latePolicy: "penalty",
        penaltyPercent: 10,
      },
      user.id,
    );
    expect(getDeadline(db, "rollout-plan")).toMatchObject({
      exerciseId: "rollout-plan",
      dueAt: "2026-12-01T00:00:00.000Z",
      latePolicy: "penalty",
      penaltyPercent: 10,
    });
  });
});
