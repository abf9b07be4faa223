import type { Server as HttpServer } from "node:http";
import { Server, type Socket } from "socket.io";
import type { ClientToServerEvents, FlowEvent, Reply, ServerToClientEvents, Snapshot } from "../../common/events.js";
import type { Controls } from "../control/controls.js";
import { ControlError } from "../control/errors.js";
import type { ControlAccess } from "../security/controlAccess.js";
import type { Clock, EventLog } from "./eventLog.js";
import { SOCKET_RATE_LIMIT, TokenBucket, type RateLimit } from "./rateLimit.js";

export type PlaygroundSocketServer = Server<ClientToServerEvents, ServerToClientEvents>;
export type PlaygroundSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

export interface SocketOptions {
  access: ControlAccess;
  clock: Clock;
  rateLimit?: RateLimit;
  /** The presenter and followers: their own events on each connection, and their refusals. */
  classroom?: SocketClassroom;
}

/** What the classroom adds to one connection: its events, and who may not act (followers, or anyone without the token while they watch). */
export interface SocketClassroom {
  connect(socket: PlaygroundSocket): { actions: Record<string, Action>; refuse(event: string): ErrorReply["error"] | null };
}

export type ErrorReply = { error: { code: string; message: string } };
type Ack = (reply: Reply<unknown>) => void;

/** What each client event does; `payload` is true for events that take a body before the callback. */
export interface Action {
  control: boolean;
  payload: boolean;
  run: (body: unknown) => unknown;
}

function actions(controls: Controls, snapshot: () => Snapshot): Record<string, Action> {
  const read = (run: () => unknown): Action => ({ control: false, payload: false, run });
  return {
    "snapshot:get": read(snapshot),
    "trigger:get": read(() => controls.triggerView()),
    "faults:get": read(() => controls.faults()),
    "trigger:update": { control: true, payload: true, run: (patch) => controls.updateTrigger(patch) },
    "faults:set": { control: true, payload: true, run: (faults) => controls.setFaults(faults) },
    "step-mode:set": { control: true, payload: true, run: (body) => controls.setStepMode(body) },
    "step-mode:next": { control: true, payload: false, run: () => controls.next() },
  };
}

/** The acknowledgement callback a client passed, if it passed one (always the last argument). */
const ackOf = (args: unknown[]): Ack | undefined => {
  const last = args.at(-1);
  return typeof last === "function" ? (last as Ack) : undefined;
};

/** Run an action for a socket: `{data}` or `{error}`, never a thrown error or a stack. */
async function answer(reply: Ack | undefined, action: () => unknown): Promise<void> {
  let response: Reply<unknown>;
  try {
    response = { data: await action() };
  } catch (error) {
    response = error instanceof ControlError ? { error: { code: error.code, message: error.message } } : { error: { code: "InternalError", message: "something went wrong on the server" } };
  }
  reply?.(response);
}

/**
 * Every client event goes through here. Unknown events, events over the connection's rate limit,
 * a payload missing before the callback, and (in the classroom) control events from anyone but the
 * presenter are answered with `{error}` when the client asked for an answer, and dropped otherwise.
 */
function serve(socket: PlaygroundSocket, base: Record<string, Action>, options: SocketOptions): void {
  const classroom = options.classroom?.connect(socket);
  const table = classroom ? { ...base, ...classroom.actions } : base;
  const limit = options.rateLimit ?? SOCKET_RATE_LIMIT;
  const bucket = new TokenBucket(limit, options.clock);
  const presenter = options.access.presenter((socket.handshake.auth as { presenter?: unknown }).presenter);
  (socket as unknown as Socket).onAny((event: unknown, ...args: unknown[]) => {
    const reply = ackOf(args);
    const action = typeof event === "string" && Object.hasOwn(table, event) ? table[event] : undefined;
    const refusal: ErrorReply["error"] | null = !bucket.take()
      ? { code: "RateLimited", message: `too many requests on this connection: at most ${limit.burst} at once and ${limit.perSecond} a second; slow down` }
      : !action
        ? { code: "UnknownEvent", message: `no event ${JSON.stringify(String(event).slice(0, 60))}; the events are ${Object.keys(table).join(", ")}` }
        : action.payload && (args.length < 2 || typeof args[0] === "function")
          ? { code: "InvalidPayload", message: `${String(event)} takes a body and then a callback: emit("${String(event)}", body, callback)` }
          : action.control
            ? (presenter ?? classroom?.refuse(String(event)) ?? null)
            : null;
    if (refusal) return reply?.({ error: refusal });
    void answer(reply, () => action?.run(action.payload ? args[0] : undefined));
  });
}

/**
 * Socket.IO on the playground's HTTP server. A client gets a snapshot when it connects and then
 * every event, batched per tick: a burst of thousands of events is a few emits, not thousands.
 * A batch may repeat events the snapshot already holds; clients skip seq ≤ snapshot.seq.
 * A handshake that names another site (Host, Origin) is refused: no page from elsewhere listens in
 * or acts through a browser on this machine.
 */
export function attachSocketServer(httpServer: HttpServer, log: EventLog, snapshot: () => Snapshot, controls: Controls, options: SocketOptions): PlaygroundSocketServer {
  const io: PlaygroundSocketServer = new Server(httpServer, {
    serveClient: true,
    allowRequest: (req, callback) => {
      const refused = options.access.foreign(req.headers.host, req.headers.origin);
      callback(refused ? `${refused.code}: ${refused.message}` : null, refused === null);
    },
  });
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

  const table = actions(controls, snapshot);
  io.on("connection", (socket) => {
    serve(socket, table, options);
    socket.emit("snapshot", snapshot());
  });
  return io;
}
