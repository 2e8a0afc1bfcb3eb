// Preloaded into a server process (NODE_OPTIONS="--import <this file>", where Node 20 refuses --cpu-prof): V8's
// sampling profiler from the first line, its profile written to $BENCH_CPU_PROFILE when the process exits.
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";

const session = new Session();
session.connect();
session.post("Profiler.enable");
session.post("Profiler.setSamplingInterval", { interval: Number(process.env.BENCH_CPU_PROFILE_INTERVAL ?? 200) });
session.post("Profiler.start");
process.once("exit", () => {
  // The in-thread session answers synchronously, so the profile is written before the process ends.
  session.post("Profiler.stop", (error, result) => {
    if (!error) writeFileSync(process.env.BENCH_CPU_PROFILE, JSON.stringify(result.profile));
  });
});
