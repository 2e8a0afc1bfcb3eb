// Preloaded into a server process (NODE_OPTIONS="--import <this file>"): V8's sampling heap profiler, started on
// SIGUSR2 (sent after the bench's warm-up) and counting the objects minor and major GCs collected too, so that the
// samples stand for everything allocated; its profile written to $BENCH_HEAP_PROFILE when the process exits.
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";

const session = new Session();
session.connect();
session.post("HeapProfiler.enable");
process.once("SIGUSR2", () => {
  session.post("HeapProfiler.startSampling", {
    samplingInterval: 8192,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
});
process.once("exit", () => {
  // The in-thread session answers synchronously, so the profile is written before the process ends.
  session.post("HeapProfiler.stopSampling", (error, result) => {
    if (!error) writeFileSync(process.env.BENCH_HEAP_PROFILE, JSON.stringify(result.profile));
  });
});
