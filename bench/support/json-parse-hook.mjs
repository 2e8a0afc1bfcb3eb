// Preloaded into a server process (NODE_OPTIONS="--import <this file>"): keeps the provider answers as they
// arrive, every Buffer.concat result of at least 4 KB ($BENCH_KEEP_MIN_BYTES bytes when set) that starts as a JSON
// object (the transport, src/providers/transport.ts, joins each answer's chunks so; the vault's token sets and the
// question are smaller), and writes them as text to $BENCH_JSON_PARSE_FILE as one JSON array of strings when the
// process exits. Only for measuring what reading those bytes alone costs (availability-parse-floor.ts); the bytes
// and their reading are untouched. (Kept at Buffer.concat, not JSON.parse, so that it keeps the answers whichever
// way a build reads them.)
import { writeFileSync } from "node:fs";

const concat = Buffer.concat;
const kept = [];
Buffer.concat = function keptConcat(list, totalLength) {
  const joined = concat.call(Buffer, list, totalLength);
  if (joined.length >= Number(process.env.BENCH_KEEP_MIN_BYTES ?? 4096) && joined[0] === 0x7b)
    kept.push(joined.toString("utf8"));
  return joined;
};
process.once("exit", () => writeFileSync(process.env.BENCH_JSON_PARSE_FILE, JSON.stringify(kept)));
