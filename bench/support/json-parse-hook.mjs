// Preloaded into a server process (NODE_OPTIONS="--import <this file>"): keeps every string of at least 4 KB that
// JSON.parse is given (the provider answers; the vault's token sets and the question are smaller) and writes them
// to $BENCH_JSON_PARSE_FILE as one JSON array of strings when the process exits. Only for measuring what parsing
// those bytes alone costs (availability-parse-floor.ts); the parse itself is untouched.
import { writeFileSync } from "node:fs";

const parse = JSON.parse;
const kept = [];
JSON.parse = function keptParse(text, reviver) {
  if (typeof text === "string" && text.length >= 4096) kept.push(text);
  return parse(text, reviver);
};
process.once("exit", () => writeFileSync(process.env.BENCH_JSON_PARSE_FILE, JSON.stringify(kept)));
