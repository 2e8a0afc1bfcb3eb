/**
 * The PostgreSQL pool keeps its connections through a pause in traffic (store/database.ts): a read after more than
 * pg-pool's default ten seconds of idleness runs on the connection opened before it, not on a new one (a new backend,
 * a SCRAM exchange and every named statement prepared again). Idle connections never keep a process alive: a
 * process that read and forgot to close the database exits by itself, long before the pool would close them. SQLite
 * has one connection and no pool: the same reads are answered there, and the same process exits.
 */
import { spawn } from "node:child_process";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DB, openDatabase, postgresPoolOf } from "../../src/store/database.ts";
import { findUser } from "../../src/store/tenancy.ts";
import { createDatabaseWithOneCaller, dialectName, type TestDatabase, oneCallerScope } from "../support/database.ts";
import { movableClock } from "../support/hosts.ts";

let database: TestDatabase;
let single: DB;
const clock = movableClock();
const scope = oneCallerScope;
beforeAll(async () => {
  database = await createDatabaseWithOneCaller(clock);
  single = openDatabase({ ...database.options, poolSize: 1 });
});
afterAll(async () => {
  await single.destroy();
  await database.close();
});

/** The PostgreSQL backend serving the pool's one connection; 0 on SQLite. */
async function backendPid(db: DB): Promise<number> {
  if (dialectName === "sqlite") return 0;
  return (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db)).rows[0]!.pid;
}

describe("the database's connections across a pause in traffic", () => {
  it("serve the read after eleven idle seconds on the connection opened before", { timeout: 60_000 }, async () => {
    expect(await findUser(single, scope)).toMatchObject({ user_id: "u1" });
    const before = await backendPid(single);
    // Past pg-pool's default idle timeout (10 s), after which it closed an unused connection.
    await new Promise((resolve) => setTimeout(resolve, 11_000));
    expect(await findUser(single, scope)).toMatchObject({ user_id: "u1", email: "u1@o1.example" });
    expect(await backendPid(single)).toBe(before);
    if (dialectName === "postgres") expect(postgresPoolOf(single)?.totalCount).toBe(1);
  });

  it("leave a process that read and never closed the database free to exit by itself", {
    timeout: 90_000,
  }, async () => {
    const script = `
      import { openDatabase } from "./src/store/database.ts";
      import { findUser } from "./src/store/tenancy.ts";
      const db = openDatabase(${JSON.stringify({ ...database.options, poolSize: 2 })});
      const rows = await Promise.all([findUser(db, ${JSON.stringify(scope)}), findUser(db, ${JSON.stringify(scope)})]);
      console.log(JSON.stringify(rows.map((row) => row?.email)));
    `;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: `${import.meta.dirname}/../..`,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    // Bounded far below the pool's idle timeout (five minutes): without allowExitOnIdle the process waits for it.
    const bound = setTimeout(() => child.kill("SIGKILL"), 60_000);
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) =>
      child.once("exit", (exitCode, exitSignal) => resolve([exitCode, exitSignal])),
    );
    clearTimeout(bound);
    expect({ code, signal, output: output.trim() }).toEqual({
      code: 0,
      signal: null,
      output: JSON.stringify(["u1@o1.example", "u1@o1.example"]),
    });
  });
});
