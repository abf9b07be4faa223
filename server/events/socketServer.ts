import type { Server as HttpServer } from "node:http";
import { Server, type Socket } from "socket.io";
import type { ClientToServerEvents, FlowEvent, Reply, ServerToClientEvents, Snapshot } from "../../common/events.js";
import type { Controls } from "../control/controls.js";
import { ControlError } from "../control/errors.js";
import type { ControlAccess } from "../security/controlAccess.js";
import type { Clock, EventLog } from "./eventLog.js";
import { AddressBuckets, CONNECT_RATE_LIMIT, SOCKET_RATE_LIMIT, TokenBucket, type RateLimit } from "./rateLimit.js";
import { isLoopbackHost } from "../terminal/access.js";

export type PlaygroundSocketServer = Server<ClientToServerEvents, ServerToClientEvents>;
export type PlaygroundSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

export interface SocketOptions {
  access: ControlAccess;
  clock: Clock;
  rateLimit?: RateLimit;
  /** Most pages connected at once (MAX_CONNECTIONS); one more is refused with TooManyConnections. */
  maxConnections: number;
  /** `message:body`: one message's whole body. */
  messageBody: (request: unknown) => unknown;
  /** A page whose unsent events pass this many bytes is disconnected (it reconnects from a snapshot); MAX_BACKLOG_BYTES by default. */
  maxBacklogBytes?: number;
  /** Told when a page is disconnected for falling behind. */
  log?: (message: string) => void;
  /** The presenter and followers: their own events on each connection, and their refusals. */
  classroom?: SocketClassroom;
}

/** What the classroom adds to one connection: its events, and who may not act (followers, or anyone without the token while they watch). */
export interface SocketClassroom {
  connect(socket: PlaygroundSocket): { actions: Record<string, Action>; refuse(event: string): ErrorReply["error"] | null };
}

export type ErrorReply = { error: { code: string; message: string } };
type Ack = (reply: Reply<unknown>) => void;

/**
 * What each client event does; `payload` is true for events that take a body before the callback.
 * `heavy` replies (a snapshot, a whole message body) can weigh a megabyte: a connection gets one
 * at a time, so a client that asks faster than it reads cannot pile copies up in the server.
 */
export interface Action {
  control: boolean;
  payload: boolean;
  heavy?: boolean;
  run: (body: unknown) => unknown;
}

function actions(controls: Controls, snapshot: () => Snapshot, options: SocketOptions): Record<string, Action> {
  const read = (run: () => unknown): Action => ({ control: false, payload: false, run });
  return {
    "snapshot:get": { ...read(snapshot), heavy: true },
    "message:body": { control: false, payload: true, heavy: true, run: options.messageBody },
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
    response = error instanceof ControlError ? { error: { code: error.code, message: error.message, ...(error.detail ? { detail: error.detail } : {}) } } : { error: { code: "InternalError", message: "something went wrong on the server" } };
  }
  reply?.(response);
}

/**
 * Resolves once everything queued on this connection so far has been written to the network (an
 * engine.io no-op packet's send callback: packets go out in order), or the connection closed.
 */
function written(socket: PlaygroundSocket): Promise<void> {
  // engine.io's sendPacket is not in its typings; its callback runs when the transport has written the packet.
  const conn = socket.conn as unknown as {
    readyState: string;
    sendPacket(type: "noop", data: undefined, options: object, callback: () => void): void;
    once(event: "close", listener: () => void): void;
    off(event: "close", listener: () => void): void;
  };
  return new Promise((resolve) => {
    // Were engine.io to drop sendPacket, heavy replies would simply stop being held one at a time.
    if (conn.readyState !== "open" || typeof conn.sendPacket !== "function") return resolve();
    const done = () => {
      conn.off("close", done);
      resolve();
    };
    conn.once("close", done);
    conn.sendPacket("noop", undefined, {}, done);
  });
}

/**
 * One connection's heavy replies: one on the wire at a time (its connect snapshot included). A
 * request that comes while one is being sent waits for it (a page that asks again as soon as an
 * answer arrives may be a moment early); one more while another waits is refused.
 */
class HeavyReplies {
  private busy = false;
  private waiting: (() => Promise<void> | void) | null = null;

  /** True when a request now would be refused: one is being sent and another already waits. */
  get full(): boolean {
    return this.busy && this.waiting !== null;
  }

  /** Send a heavy reply (`send` queues it on the socket) once the one before has been written. */
  async send(socket: PlaygroundSocket, send: () => Promise<void> | void): Promise<void> {
    if (this.busy) {
      this.waiting = send;
      return;
    }
    this.busy = true;
    try {
      for (let next: typeof send | null = send; next; next = this.waiting, this.waiting = null) {
        await next();
        await written(socket);
      }
    } finally {
      this.busy = false;
      this.waiting = null;
    }
  }
}

/**
 * Every client event goes through here. Unknown events, events over the connection's rate limit,
 * a payload missing before the callback, a heavy read while one is being sent and another waits, and
 * (in the classroom) control events from anyone but the presenter are answered with `{error}` when
 * the client asked for an answer, and dropped otherwise. Reads, followers' included, count against
 * the rate limit like every other event; so does the snapshot each connection gets.
 */
function serve(socket: PlaygroundSocket, base: Record<string, Action>, snapshot: () => Snapshot, options: SocketOptions): void {
  const classroom = options.classroom?.connect(socket);
  const table = classroom ? { ...base, ...classroom.actions } : base;
  const limit = options.rateLimit ?? SOCKET_RATE_LIMIT;
  const bucket = new TokenBucket(limit, options.clock);
  const heavy = new HeavyReplies();
  const failed = (error: unknown) => options.log?.(`socket: could not answer ${socket.handshake.address}: ${error instanceof Error ? error.message : String(error)}`);
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
          : action.heavy && heavy.full
            ? { code: "RequestInProgress", message: `${String(event)}: this connection is still being sent a snapshot or message body and another waits; ask again once an answer has arrived` }
            : action.control
              ? (presenter ?? classroom?.refuse(String(event)) ?? null)
              : null;
    if (refusal) return reply?.({ error: refusal });
    const run = () => answer(reply, () => action?.run(action.payload ? args[0] : undefined));
    void (action?.heavy ? heavy.send(socket, run) : run()).catch(failed);
  });
  bucket.take();
  void heavy.send(socket, () => void socket.emit("snapshot", snapshot())).catch(failed);
}

/**
 * Socket.IO on the playground's HTTP server. A client gets a snapshot when it connects and then
 * every event, batched per tick: a burst of thousands of events is a few emits, not thousands.
 * At most `maxConnections` pages connect at once; the next gets a connect_error TooManyConnections.
 * A batch may repeat events the snapshot already holds; clients skip seq ≤ snapshot.seq.
 * A handshake that names another site (Host, Origin) is refused: no page from elsewhere listens in
 * or acts through a browser on this machine.
 */
export function attachSocketServer(httpServer: HttpServer, log: EventLog, snapshot: () => Snapshot, controls: Controls, options: SocketOptions): PlaygroundSocketServer {
  const io: PlaygroundSocketServer = new Server(httpServer, {
    serveClient: true,
    allowRequest: (req, callback) => {
      // Handshakes that never join the page's namespace are bounded too: at most twice the cap.
      const refused = options.access.foreign(req.headers.host, req.headers.origin) ?? (io.engine.clientsCount >= 2 * options.maxConnections ? tooManyConnections(options.maxConnections) : null);
      callback(refused ? `${refused.code}: ${refused.message}` : null, refused === null);
    },
  });
  // Each connection costs a snapshot: another machine may not open them faster than CONNECT_RATE_LIMIT.
  const connects = new AddressBuckets(CONNECT_RATE_LIMIT, options.clock);
  io.use((socket, next) => {
    const address = socket.handshake.address;
    const credential = (socket.handshake.auth as { presenter?: unknown } | undefined)?.presenter;
    const refused =
      io.of("/").sockets.size >= options.maxConnections
        ? tooManyConnections(options.maxConnections)
        : !isLoopbackHost(address) && !connects.take(address)
          ? { code: "RateLimited", message: `too many connections from ${address}: at most ${CONNECT_RATE_LIMIT.burst} at once and ${CONNECT_RATE_LIMIT.perSecond} a second; reload the page in a moment` }
          : credential !== undefined && credential !== null && !(typeof credential === "string" && options.access.knows(credential))
            ? unknownToken()
            : null;
    next(refused ? Object.assign(new Error(refused.message), { data: refused }) : undefined);
  });
  let pending: FlowEvent[] = [];

  const flush = () => {
    const batch = pending;
    pending = [];
    // One broadcast per slice: Socket.IO encodes it once for every page. A tick of a burst can hold
    // thousands of events; in one packet the page parsed and folded them all in one task (a long
    // task of the page's main thread), in slices each is a task of a few milliseconds.
    for (let start = 0; start < batch.length; start += EVENTS_PER_PACKET) io.emit("events", batch.length <= EVENTS_PER_PACKET ? batch : batch.slice(start, start + EVENTS_PER_PACKET));
    dropStalled(io, options.maxBacklogBytes ?? MAX_BACKLOG_BYTES, options.log);
  };
  const unsubscribe = log.subscribe((event) => {
    if (pending.push(event) === 1) setImmediate(flush);
  });
  httpServer.once("close", unsubscribe);

  const table = actions(controls, snapshot, options);
  io.on("connection", (socket) => serve(socket, table, snapshot, options));
  return io;
}

/** The most events in one `events` packet (see flush in attachSocketServer). */
export const EVENTS_PER_PACKET = 200;

/**
 * A page that does not read (a stalled tab, a script that never reads its socket) would make the
 * server hold every event of a burst for it. Past `maxBytes` of packets waiting to be written, its
 * connection is closed: socket.io-client reconnects and starts again from a snapshot.
 */
export const MAX_BACKLOG_BYTES = 8 * 1024 * 1024;
/** Backlogs shorter than this many packets are not weighed: a page keeping up has one or two. */
const BACKLOG_PACKETS_WEIGHED = 16;

function dropStalled(io: PlaygroundSocketServer, maxBytes: number, log?: (message: string) => void): void {
  for (const socket of io.of("/").sockets.values()) {
    // engine.io's queue of packets not yet handed to the transport (not in its typings).
    const conn = socket.conn as unknown as { writeBuffer: { data?: unknown }[]; close(discard: boolean): void };
    if (conn.writeBuffer.length < BACKLOG_PACKETS_WEIGHED) continue;
    let bytes = 0;
    for (const packet of conn.writeBuffer) bytes += typeof packet.data === "string" ? packet.data.length : packet.data instanceof Uint8Array ? packet.data.byteLength : 0;
    if (bytes <= maxBytes) continue;
    log?.(`socket: closed the connection of ${socket.handshake.address}: more than ${maxBytes} bytes of events waited for it to read; it reconnects from a snapshot`);
    conn.close(true);
  }
}

/**
 * The refusal a page gets when it sends a token this run did not give out: its link is from an
 * earlier run (tokens are new at each start) or mistyped. Said at once, rather than letting the
 * page look live while its terminal and, with followers watching, its controls are refused.
 */
function unknownToken(): ErrorReply["error"] {
  return {
    code: "UnknownToken",
    message: "this page's token is not one this playground gave out: the page was opened from the link of an earlier run (the playground makes new tokens each time it starts) or a mistyped one; open the link it printed when it last started",
  };
}

/** The refusal a page gets (connect_error: its message, and `data` with the code) when the playground has all the connections it takes. */
function tooManyConnections(max: number): ErrorReply["error"] {
  return { code: "TooManyConnections", message: `the playground already has ${max} pages connected (MAX_CONNECTIONS); close one, or ask whoever runs it to raise the limit` };
}
