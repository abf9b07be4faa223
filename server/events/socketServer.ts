import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import type { ClientToServerEvents, FlowEvent, ServerToClientEvents, Snapshot } from "../../common/events.js";
import type { EventLog } from "./eventLog.js";

export type PlaygroundSocketServer = Server<ClientToServerEvents, ServerToClientEvents>;

/**
 * Socket.IO on the playground's HTTP server. A client gets a snapshot when it connects and then
 * every event, batched per tick: a burst of thousands of events is a few emits, not thousands.
 * A batch may repeat events the snapshot already holds; clients skip seq ≤ snapshot.seq.
 */
export function attachSocketServer(httpServer: HttpServer, log: EventLog, snapshot: () => Snapshot): PlaygroundSocketServer {
  const io: PlaygroundSocketServer = new Server(httpServer, { serveClient: true });
  let pending: FlowEvent[] = [];

  const flush = () => {
    const batch = pending;
    pending = [];
    io.emit("events", batch);
  };
  const unsubscribe = log.subscribe((event) => {
    if (pending.push(event) === 1) setImmediate(flush);
  });
  httpServer.once("close", unsubscribe);

  io.on("connection", (socket) => {
    socket.emit("snapshot", snapshot());
    socket.on("snapshot:get", (reply) => {
      if (typeof reply !== "function") return;
      reply({ data: snapshot() });
    });
  });
  return io;
}
