import { it } from "vitest";
import { createTestApp } from "../support/test-app.ts";
import { hanako, ken, linkZoom } from "../interviews/support.ts";

it("costs GET /v1/zoom/hosts against /v1/me, in process", async () => {
  const t = await createTestApp({ providers: ["zoom"] });
  await linkZoom(t as never, hanako, "zU_hanako", "org");
  await linkZoom(t as never, ken, "zU_ken", "personal");
  const start = new Date(Math.floor(t.clock.now().getTime() / 3600_000) * 3600_000 + 72 * 3600_000);
  const path = `/v1/zoom/hosts?start=${start.toISOString()}&end=${new Date(start.getTime() + 3600_000).toISOString()}`;
  const headers = { authorization: `Bearer ${await t.token(ken)}`, origin: "https://portal-a.example" };
  const run = async (route: string, n: number) => {
    const s = performance.now();
    for (let i = 0; i < n; i++) {
      const r = await t.app.request(route, { headers });
      if (r.status !== 200) throw new Error(`${r.status} ${await r.text()}`);
      await r.arrayBuffer();
    }
    return ((performance.now() - s) * 1000) / n;
  };
  await run(path, 300);
  await run("/v1/me", 300);
  const me: number[] = [];
  const hosts: number[] = [];
  for (let round = 0; round < 7; round++) {
    me.push(await run("/v1/me", 300));
    hosts.push(await run(path, 300));
  }
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
  console.log(`COST me ${median(me).toFixed(0)} us hosts ${median(hosts).toFixed(0)} us extra ${(median(hosts) - median(me)).toFixed(0)} us ratio ${(median(hosts) / median(me)).toFixed(2)}`);
  await t.close();
}, 300_000);
