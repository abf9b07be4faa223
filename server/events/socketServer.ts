import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import type { ClientToServerEvents, FlowEvent, Reply, ServerToClientEvents, Snapshot } from "../../common/events.js";
import type { Controls } from "../control/controls.js";
import { ControlError } from "../control/errors.js";
import type { EventLog } from "./eventLog.js";

export type PlaygroundSocketServer = Server<ClientToServerEvents, ServerToClientEvents>;

/**
 * Socket.IO on the playground's HTTP server. A client gets a snapshot when it connects and then
 * every event, batched per tick: a burst of thousands of events is a few emits, not thousands.
 * A batch may repeat events the snapshot already holds; clients skip seq ≤ snapshot.seq.
 */
/** Run a control action for a socket: `{data}` or `{error}`, never a thrown error or a stack. */
async function answer<T>(reply: unknown, action: () => T | Promise<T>): Promise<void> {
  if (typeof reply !== "function") return;
  let response: Reply<T>;
  try {
    response = { data: await action() };
  } catch (error) {
    response = error instanceof ControlError ? { error: { code: error.code, message: error.message } } : { error: { code: "InternalError", message: "something went wrong on the server" } };
  }
  (reply as (response: Reply<T>) => void)(response);
}

export function attachSocketServer(httpServer: HttpServer, log: EventLog, snapshot: () => Snapshot, controls: Controls): PlaygroundSocketServer {
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
    socket.on("snapshot:get", (reply) => void answer(reply, snapshot));
    socket.on("trigger:get", (reply) => void answer(reply, () => controls.triggerView()));
    socket.on("trigger:update", (patch, reply) => void answer(reply, () => controls.updateTrigger(patch)));
    socket.on("faults:get", (reply) => void answer(reply, () => controls.faults()));
    socket.on("faults:set", (faults, reply) => void answer(reply, () => controls.setFaults(faults)));
    socket.on("step-mode:set", (body, reply) => void answer(reply, () => controls.setStepMode(body)));
    socket.on("step-mode:next", (reply) => void answer(reply, () => controls.next()));
  });
  return io;
}
