/**
 * Baselines for the throughput bench (bench/http.bench.ts), mounted only when
 * TSUNAGU_BENCH_ROUTES=1: served by the same process as the real API, so a
 * load generator compares like with like.
 *
 *   GET /bench/bare  a bare Hono route, ahead of every middleware
 *   GET /bench/jwt   jose's jwtVerify of the bearer token with its host's
 *                    prepared key, and nothing else (no claims, no database)
 *
 * They reveal nothing: /bench/jwt answers only whether a token verifies.
 */
import { Hono } from "hono";
import { decodeJwt, jwtVerify } from "jose";
import type { HostRegistry } from "../auth/host-registry.ts";

export function benchRoutes(hosts: HostRegistry) {
  return new Hono()
    .get("/bench/bare", (c) => c.json({ ok: true }))
    .get("/bench/jwt", async (c) => {
      const token = c.req.header("authorization")?.slice("Bearer ".length) ?? "";
      try {
        const host = hosts.get(String(decodeJwt(token).iss));
        if (!host) return c.json({ ok: false }, 401);
        const { payload } = await jwtVerify(token, host.getKey, {
          algorithms: [...host.algorithms],
          audience: host.audience,
        });
        return c.json({ host: payload.iss, user: payload.sub });
      } catch {
        return c.json({ ok: false }, 401);
      }
    });
}
