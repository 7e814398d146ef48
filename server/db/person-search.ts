/**
 * "Name or email contains this text", as the roster and the review queue search people. The text is
 * matched literally: % and _ typed by staff are not wildcards.
 */
export interface PersonSearch {
  /** SQL for a WHERE or AND clause over `<table>.name` and `<table>.email`, with two parameters. */
  sql: string;
  params: [string, string];
}

export function personSearch(text: string, table = ""): PersonSearch {
  const column = (name: string) => (table ? `${table}.${name}` : name);
  const like = `%${text.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return {
    sql: `(${column("name")} LIKE ? ESCAPE '\\' OR ${column("email")} LIKE ? ESCAPE '\\')`,
    params: [like, like],
  };
}
