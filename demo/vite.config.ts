import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import { portalApi } from "./server/portal-api.ts";

const repositoryRoot = fileURLToPath(new URL("..", import.meta.url));
/** scripts/demo.mjs passes the port it checked; 5173 otherwise. */
const port = Number(process.env.TSUNAGU_DEMO_PORT || 5173);
const serverUrl = process.env.TSUNAGU_DEMO_SERVER_URL || "http://localhost:8787";

export default defineConfig({
  define: {
    __TSUNAGU_SERVER_URL__: JSON.stringify(serverUrl),
  },
  plugins: [
    portalApi({
      hostSecretFile: process.env.TSUNAGU_DEMO_HOST_SECRET_FILE || `${repositoryRoot}.data/demo-host-secret`,
      serverUrl,
    }),
  ],
  server: { port, strictPort: true, host: "localhost" },
  preview: { port, strictPort: true },
});
