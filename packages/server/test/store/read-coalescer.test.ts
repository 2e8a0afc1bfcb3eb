/**
 * The read coalescer (store/read-coalescer.ts) on its own, over a recording
 * reader: reads asked for in one turn go out as one query, a key asked twice
 * is read once (its reads' keys joined by joinKey when given), a read never
 * joins a query already sent, and a failed query fails every read in it. The
 * database behind it is exercised by coalesced-user-reads.test.ts.
 */
import { describe, expect, it } from "vitest";
import { createReadCoalescer } from "../../src/store/read-coalescer.ts";

interface Row {
  id: string;
  version: number;
}

/** A reader over a table that counts and holds its queries until released. */
function table() {
  const rows = new Map<string, number>();
  const queries: { keys: readonly string[]; release(): void; fail(error: Error): void }[] = [];
  const read = createReadCoalescer<string, Row>({
    identify: (key) => key,
    identifyRow: (row) => row.id,
    maxBatch: 4,
    readMany: (keys) =>
      new Promise((resolve, reject) => {
        // The rows as they are when the query is sent; its answer arrives on release.
        const found = keys.flatMap((id) => (rows.has(id) ? [{ id, version: rows.get(id)! }] : []));
        queries.push({ keys, release: () => resolve(found), fail: reject });
      }),
  });
  return { rows, queries, read };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe("coalesced reads", () => {
  it("send the reads of one turn as one query, each answered with its own row", async () => {
    const { rows, queries, read } = table();
    for (const id of ["a", "b", "c"]) rows.set(id, 1);
    const answers = Promise.all(["a", "b", "c", "nobody"].map((id) => read(id)));
    await nextTurn();
    expect(queries.map((query) => query.keys)).toEqual([["a", "b", "c", "nobody"]]);
    queries[0]!.release();
    expect(await answers).toEqual([
      [{ id: "a", version: 1 }],
      [{ id: "b", version: 1 }],
      [{ id: "c", version: 1 }],
      [],
    ]);
  });

  it("read a key asked for twice in one turn once, for both", async () => {
    const { rows, queries, read } = table();
    rows.set("a", 1);
    const answers = Promise.all([read("a"), read("a"), read("a")]);
    await nextTurn();
    expect(queries.map((query) => query.keys)).toEqual([["a"]]);
    queries[0]!.release();
    expect(await answers).toEqual([1, 1, 1].map((version) => [{ id: "a", version }]));
  });

  it("split a turn's reads into queries of at most maxBatch keys", async () => {
    const { queries, read } = table();
    const answers = Promise.all(["a", "b", "c", "d", "e", "f"].map((id) => read(id)));
    await nextTurn();
    expect(queries.map((query) => query.keys)).toEqual([
      ["a", "b", "c", "d"],
      ["e", "f"],
    ]);
    for (const query of queries) query.release();
    expect(await answers).toEqual([[], [], [], [], [], []]);
  });

  it("never answer a read from a query sent before it was asked for", async () => {
    const { rows, queries, read } = table();
    rows.set("a", 1);
    const first = read("a");
    await nextTurn();
    expect(queries).toHaveLength(1);
    // Asked while the first query is on its way: a write committed now must be seen by this read.
    rows.set("a", 2);
    const second = read("a");
    queries[0]!.release();
    expect(await first).toEqual([{ id: "a", version: 1 }]);
    await nextTurn();
    expect(queries).toHaveLength(2);
    queries[1]!.release();
    expect(await second).toEqual([{ id: "a", version: 2 }]);
  });

  it("fail every read of a failed query with its error, and read again afterwards", async () => {
    const { rows, queries, read } = table();
    rows.set("a", 1);
    const failed = ["a", "a", "b"].map((id) =>
      read(id).then(
        () => "answered",
        (error: Error) => error.message,
      ),
    );
    await nextTurn();
    queries[0]!.fail(new Error("database unavailable"));
    expect(await Promise.all(failed)).toEqual(["database unavailable", "database unavailable", "database unavailable"]);
    const again = read("a");
    await nextTurn();
    queries[1]!.release();
    expect(await again).toEqual([{ id: "a", version: 1 }]);
  });

  it("answer every row of a key, in the query's order, each caller with an array of its own", async () => {
    const read = createReadCoalescer<string, { owner: string; name: string }>({
      identify: (owner) => owner,
      identifyRow: (row) => row.owner,
      readMany: async () => [
        { owner: "a", name: "1" },
        { owner: "b", name: "1" },
        { owner: "a", name: "2" },
      ],
    });
    const [a, b, sameA, nobody] = await Promise.all([read("a"), read("b"), read("a"), read("nobody")]);
    expect(a).toEqual([
      { owner: "a", name: "1" },
      { owner: "a", name: "2" },
    ]);
    expect(b).toEqual([{ owner: "b", name: "1" }]);
    expect(nobody).toEqual([]);
    expect(sameA).toEqual(a);
    expect(sameA).not.toBe(a);
  });

  it("send a batch of one key through readOne when given, and a batch of several through readMany", async () => {
    const sent: string[] = [];
    const rowOf = (id: string): Row => ({ id, version: 1 });
    const read = createReadCoalescer<string, Row>({
      identify: (key) => key,
      identifyRow: (row) => row.id,
      readMany: async (keys) => {
        sent.push(`many ${keys.join(",")}`);
        return keys.map(rowOf);
      },
      readOne: async (key) => {
        sent.push(`one ${key}`);
        return [rowOf(key)];
      },
    });
    expect(await Promise.all([read("a"), read("a")])).toEqual([[rowOf("a")], [rowOf("a")]]);
    expect(await Promise.all([read("a"), read("b")])).toEqual([[rowOf("a")], [rowOf("b")]]);
    expect(sent).toEqual(["one a", "many a,b"]);
  });

  it("answer a batch of one key with every row readOne gives, none of them identified", async () => {
    // The statement for one key need not select its key: its rows are the key's, whatever identifyRow would say.
    const read = createReadCoalescer<string, { provider: string }>({
      identify: (key) => key,
      identifyRow: () => {
        throw new Error("a row of a batch of one is never identified");
      },
      readMany: async () => [],
      readOne: async () => [{ provider: "google" }, { provider: "zoom" }],
    });
    const [first, second] = await Promise.all([read("a"), read("a")]);
    expect(first).toEqual([{ provider: "google" }, { provider: "zoom" }]);
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
  });

  it("read the key joinKey makes of a batch's reads of one identity, the first's without it", async () => {
    // Reads of one owner at different clocks: the batch reads at the earliest (zoom-hosts/holds.ts).
    const sent: string[] = [];
    const options = {
      identify: (key: { owner: string; at: number }) => key.owner,
      identifyRow: (row: { owner: string }) => row.owner,
      readMany: async (keys: readonly { owner: string; at: number }[]) => {
        sent.push(keys.map((key) => `${key.owner}@${key.at}`).join(","));
        return keys.map((key) => ({ owner: key.owner }));
      },
    };
    const joined = createReadCoalescer({
      ...options,
      joinKey: (pending, joining) => (joining.at < pending.at ? joining : pending),
    });
    const first = createReadCoalescer(options);
    const keys = [
      { owner: "a", at: 3 },
      { owner: "b", at: 5 },
      { owner: "a", at: 1 },
      { owner: "a", at: 2 },
    ];
    expect(await Promise.all(keys.map((key) => joined(key)))).toEqual(keys.map((key) => [{ owner: key.owner }]));
    await Promise.all(keys.map((key) => first(key)));
    expect(sent).toEqual(["a@1,b@5", "a@3,b@5"]);
  });

  it("fail the reads when the reader throws instead of answering a promise", async () => {
    const read = createReadCoalescer<string, Row>({
      identify: (key) => key,
      identifyRow: (row) => row.id,
      readMany: () => {
        throw new Error("cannot build the query");
      },
    });
    await expect(Promise.all([read("a"), read("b")])).rejects.toThrow("cannot build the query");
  });
});
