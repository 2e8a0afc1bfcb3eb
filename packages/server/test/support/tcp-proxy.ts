/**
 * A TCP relay on 127.0.0.1 between a server under test and its database, so
 * a test can cause an outage without touching the shared PostgreSQL cluster:
 * `cut` destroys every relayed connection and then either refuses new ones
 * (the server is down) or accepts and never answers them (the network hangs);
 * `silence` keeps the relayed connections open but passes nothing more either
 * way, and leaves new ones unanswered (a partition: no reset ever arrives);
 * `restore` relays again on the same port.
 */
import { type Server, type Socket, connect, createServer } from "node:net";

export type CutMode = "refuse" | "hang";

export interface TcpProxy {
  port: number;
  /** `url` with its host and port replaced by the proxy's. */
  route(url: string): string;
  cut(mode: CutMode): Promise<void>;
  silence(): void;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const relays = new Set<{ client: Socket; upstream: Socket }>();
  let mode: CutMode | "relay" = "relay";
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
  };
  const onConnection = (client: Socket) => {
    track(client);
    if (mode === "hang") return;
    const upstream = connect(target.port, target.host);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    const relay = { client, upstream };
    relays.add(relay);
    client.once("close", () => upstream.destroy());
    upstream.once("close", () => {
      relays.delete(relay);
      client.destroy();
    });
  };

  let server: Server = createServer(onConnection);
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve((server.address() as { port: number }).port));
    });
  const stopListening = () =>
    new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
  const port = await listen(0);

  return {
    port,
    route(url) {
      const routed = new URL(url);
      routed.hostname = "127.0.0.1";
      routed.port = String(port);
      return routed.toString();
    },
    async cut(next) {
      mode = next;
      if (next === "refuse") {
        const closed = stopListening();
        for (const socket of sockets) socket.destroy();
        await closed;
      } else {
        for (const socket of sockets) socket.destroy();
      }
    },
    silence() {
      mode = "hang";
      for (const { client, upstream } of relays) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      }
    },
    async restore() {
      for (const socket of sockets) socket.destroy();
      mode = "relay";
      if (!server.listening) {
        server = createServer(onConnection);
        await listen(port);
      }
    },
    async close() {
      const closed = stopListening();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
