import { Router, type RequestHandler } from "express";
import { z } from "zod";
import type { PresenterPosition, Reply } from "../../common/events.js";
import { sameSecret } from "../terminal/access.js";
import { ApiError } from "../api/errors.js";
import type { PlaygroundSocketServer } from "./socketServer.js";

const FOLLOWERS = "followers";
/** What a follower's socket may never do, and what anyone else may do only with the presenter token while followers watch. */
const CONTROL_EVENTS = new Set(["trigger:update", "faults:set", "step-mode:set", "step-mode:next", "presenter:announce"]);
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/** The routes that change the world; the internal store routes have their own token. */
const GUARDED = /^\/(api|tasks)(\/|$)/;
/** POSTs that only read: a lesson's check or prediction evaluates the state and changes nothing. */
const READ_ONLY = /^\/api\/lessons\/[^/]+\/(checks|predictions)\/?$/;

const positionSchema = z.strictObject({
  lessonId: z.string().regex(/^[a-z0-9-]{1,100}$/).nullable(),
  step: z.number().int().min(1).max(1000),
  seq: z.number().int().min(0).nullable(),
});

export interface ClassroomOptions {
  presenterToken: string;
  log: (message: string) => void;
}

type Refusal = { code: "PresenterTokenRequired"; message: string };

/**
 * The classroom: one presenter drives, followers watch read-only. The presenter announces its
 * lesson and step over the socket; followers join a room and get each announcement. While any
 * follower watches, every control action over HTTP or Socket.IO needs the presenter token (the
 * page takes it from `?presenter=<token>`); a follower's own socket is refused whatever it sends.
 * Refusals are answered with a clear error and logged.
 */
export class Classroom {
  private position: PresenterPosition | null = null;
  private io: PlaygroundSocketServer | undefined;

  constructor(private readonly options: ClassroomOptions) {}

  /** How many follower pages are connected now. */
  get followers(): number {
    return this.io?.sockets.adapter.rooms.get(FOLLOWERS)?.size ?? 0;
  }

  get lastPosition(): PresenterPosition | null {
    return this.position;
  }

  /** HTTP: control routes need `Authorization: Bearer <presenter token>` while followers watch. */
  readonly guard: RequestHandler = (req, _res, next) => {
    if (SAFE_METHODS.has(req.method) || !GUARDED.test(req.path) || READ_ONLY.test(req.path) || this.followers === 0) return next();
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "")?.[1];
    if (this.isPresenter(bearer)) return next();
    const refused = this.refusal(false);
    this.options.log(`classroom: refused ${req.method} ${req.path} from ${req.socket.remoteAddress ?? "?"}: no presenter token while ${this.followers} follower(s) watch`);
    throw new ApiError(403, refused.code, refused.message);
  };

  /** `/follow`: the short address shown on the presenter's screen. */
  routes(): Router {
    const router = Router();
    router.get("/follow", (_req, res) => res.redirect(302, "/?follow"));
    return router;
  }

  attach(io: PlaygroundSocketServer): void {
    this.io = io;
    io.on("connection", (socket) => {
      const presenter = this.isPresenter((socket.handshake.auth as { presenter?: unknown } | undefined)?.presenter);
      let following = false;
      // Runs before any handler of the event: a refused action never reaches the controls.
      socket.use(([event, ...args], next) => {
        if (!CONTROL_EVENTS.has(event) || (presenter && !following) || (!following && this.followers === 0 && event !== "presenter:announce")) return next();
        const refused = this.refusal(following);
        this.options.log(`classroom: refused ${event} from ${following ? "a follower" : "a socket without the presenter token"} (${socket.handshake.address})`);
        const reply = args.at(-1);
        if (typeof reply === "function") (reply as (response: Reply<never>) => void)({ error: refused });
      });
      socket.on("follow:join", (reply) => {
        following = true;
        void socket.join(FOLLOWERS);
        this.announceFollowers();
        if (typeof reply === "function") reply({ data: this.position });
      });
      socket.on("presenter:announce", (body, reply) => {
        const parsed = positionSchema.safeParse(body);
        if (!parsed.success) {
          const detail = parsed.error.issues.map((i) => `${i.path.join(".") || "position"}: ${i.message}`).join("; ");
          if (typeof reply === "function") reply({ error: { code: "InvalidPosition", message: `send {"lessonId": "…", "step": n, "seq": n|null}: ${detail}` } });
          return;
        }
        this.position = parsed.data;
        io.to(FOLLOWERS).emit("presenter:position", parsed.data);
        if (typeof reply === "function") reply({ data: { followers: this.followers } });
      });
      socket.on("disconnect", () => {
        if (following) this.announceFollowers();
      });
      socket.emit("classroom:followers", this.followers);
    });
  }

  private announceFollowers(): void {
    this.io?.emit("classroom:followers", this.followers);
  }

  private isPresenter(token: unknown): boolean {
    return typeof token === "string" && sameSecret(token, this.options.presenterToken);
  }

  private refusal(follower: boolean): Refusal {
    return {
      code: "PresenterTokenRequired",
      message: follower
        ? "this page follows the presenter read-only: it cannot change the playground"
        : "followers are watching this playground: control actions need the presenter token (Authorization: Bearer <token>; the presenter's page takes it from ?presenter=<token>, printed when the playground starts)",
    };
  }
}
