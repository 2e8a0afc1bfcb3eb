import { createLogger } from "../packages/server/src/log.ts";
const logger = createLogger({ level: "info", write: () => undefined });
const f = () => logger.info("request", { requestId: crypto.randomUUID(), method: "GET", path: "/v1/me", status: 200, ms: 0, host: "bench-hs256", org: "acme", user: "user-42" });
for (let r = 0; r < 3; r++) { for (let i = 0; i < 20000; i++) f(); const t = performance.now(); for (let i = 0; i < 100000; i++) f(); console.log("log line µs", ((performance.now() - t) * 1000 / 100000).toFixed(2)); }
