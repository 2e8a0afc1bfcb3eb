// Preloaded into a server process (NODE_OPTIONS="--import <this file>", BENCH_PG_COUNTS=<file>): counts what the
// process sends PostgreSQL through pg (the same module instance the server imports from packages/server's
// node_modules) and how long pg spends turning its answers into rows. On SIGUSR2 the counts so far are written to
// $BENCH_PG_COUNTS as JSON and reset, so that a bench reads the counts of its measured load only.
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";

const require = createRequire(`${process.cwd()}/package.json`);
const pg = require("pg");
const Connection = require("pg/lib/connection.js");
const Query = require("pg/lib/query.js");

let counts = fresh();
function fresh() {
  return { queries: 0, named: 0, texts: {}, socketWrites: 0, socketBytes: 0, rowParseMs: 0, rows: 0 };
}

const query = pg.Client.prototype.query;
pg.Client.prototype.query = function countedQuery(config, ...rest) {
  counts.queries++;
  const text = typeof config === "string" ? config : config?.text;
  if (typeof config === "object" && config?.name) counts.named++;
  if (typeof text === "string") {
    const key = text.replace(/\s+/g, " ").slice(0, 90);
    counts.texts[key] = (counts.texts[key] ?? 0) + 1;
  }
  return query.call(this, config, ...rest);
};

const connect = Connection.prototype.connect;
Connection.prototype.connect = function countedConnect(...args) {
  const result = connect.apply(this, args);
  const stream = this.stream;
  const write = stream.write;
  stream.write = function countedWrite(chunk, ...rest) {
    counts.socketWrites++;
    counts.socketBytes += chunk?.length ?? 0;
    return write.call(this, chunk, ...rest);
  };
  return result;
};

const handleDataRow = Query.prototype.handleDataRow;
Query.prototype.handleDataRow = function timedDataRow(message) {
  const started = performance.now();
  const result = handleDataRow.call(this, message);
  counts.rowParseMs += performance.now() - started;
  counts.rows++;
  return result;
};

process.on("SIGUSR2", () => {
  writeFileSync(process.env.BENCH_PG_COUNTS, JSON.stringify(counts));
  counts = fresh();
});
