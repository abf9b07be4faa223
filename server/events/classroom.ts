import { Router, type RequestHandler } from "express";
import { z } from "zod";
import type { PresenterPosition } from "../../common/events.js";
import { ControlError } from "../control/errors.js";
import { ApiError } from "../api/errors.js";
import { ControlAccess } from "../security/controlAccess.js";
import type { Action, PlaygroundSocket, PlaygroundSocketServer, SocketClassroom } from "./socketServer.js";

const FOLLOWERS = "followers";
/** What a follower's socket may never do, and what anyone else may do only with the presenter token while followers watch. */
const CONTROL_EVENTS = new Set(["trigger:update", "faults:set", "step-mode:set", "step-mode:next", "presenter:announce"]);

const positionSchema = z.strictObject({
  lessonId: z.string().regex(/^[a-z0-9-]{1,100}$/).nullable(),
  step: z.number().int().min(1).max(1000),
  seq: z.number().int().min(0).nullable(),
});

export interface ClassroomOptions {
  /** Whose credentials are the presenter's: the presenter token, and on the learner's own machine the learner's tokens. */
  access: Pick<ControlAccess, "isPresenter">;
  log: (message: string) => void;
}

type Refusal = { code: "PresenterTokenRequired"; message: string };

/**
 * The classroom: one presenter drives, followers watch read-only. The presenter announces its
 * lesson and step over the socket; followers join a room and get each announcement. While any
 * follower watches, every control action over HTTP or Socket.IO needs the presenter's credentials
 * (the presenter token, which the page takes from `?presenter=<token>`; on the learner's own
 * machine also the run token of the printed link and the terminal's token, see ControlAccess);
 * a follower's own socket is refused whatever it sends.
 * Refusals are answered with a clear error and logged.
 */
export class Classroom implements SocketClassroom {
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

  /** HTTP, on every control route: the presenter's credentials (`Authorization: Bearer <token>`) while followers watch. */
  readonly guard: RequestHandler = (req, _res, next) => {
    if (this.followers === 0 || this.isPresenter(ControlAccess.credential(req.headers.authorization))) return next();
    const refused = this.refusal(false);
    this.options.log(`classroom: refused ${req.method} ${req.baseUrl}${req.path} from ${req.socket.remoteAddress ?? "?"}: no presenter token while ${this.followers} follower(s) watch`);
    throw new ApiError(403, refused.code, refused.message);
  };

  /** `/follow`: the short address shown on the presenter's screen. */
  routes(): Router {
    const router = Router({ caseSensitive: true });
    router.get("/follow", (_req, res) => res.redirect(302, "/?follow"));
    return router;
  }

  /** Where follower counts and positions are broadcast; connections come through `connect`. */
  attach(io: PlaygroundSocketServer): void {
    this.io = io;
  }

  /** One connection: its classroom events, and its refusals (run before any control action). */
  connect(socket: PlaygroundSocket): ReturnType<SocketClassroom["connect"]> {
    const presenter = this.isPresenter((socket.handshake.auth as { presenter?: unknown } | undefined)?.presenter);
    let following = false;
    socket.on("disconnect", () => {
      if (following) this.announceFollowers();
    });
    socket.emit("classroom:followers", this.followers);
    const actions: Record<string, Action> = {
      "follow:join": {
        control: false,
        payload: false,
        run: () => {
          following = true;
          void socket.join(FOLLOWERS);
          this.announceFollowers();
          return this.position;
        },
      },
      "presenter:announce": {
        control: true,
        payload: true,
        run: (body) => {
          const parsed = positionSchema.safeParse(body);
          if (!parsed.success) {
            const detail = parsed.error.issues.map((i) => `${i.path.join(".") || "position"}: ${i.message}`).join("; ");
            throw new ControlError(400, "InvalidPosition", `send {"lessonId": "…", "step": n, "seq": n|null}: ${detail}`);
          }
          this.position = parsed.data;
          this.io?.to(FOLLOWERS).emit("presenter:position", parsed.data);
          return { followers: this.followers };
        },
      },
    };
    const refuse = (event: string): Refusal | null => {
      if (!CONTROL_EVENTS.has(event) || (presenter && !following) || (!following && this.followers === 0 && event !== "presenter:announce")) return null;
      this.options.log(`classroom: refused ${event} from ${following ? "a follower" : "a socket without the presenter token"} (${socket.handshake.address})`);
      return this.refusal(following);
    };
    return { actions, refuse };
  }

  private announceFollowers(): void {
    this.io?.emit("classroom:followers", this.followers);
  }

  private isPresenter(token: unknown): boolean {
    return this.options.access.isPresenter(token);
  }

  private refusal(follower: boolean): Refusal {
    return {
      code: "PresenterTokenRequired",
      message: follower
        ? "this page follows the presenter read-only: it cannot change the playground"
        : "followers are watching this playground: control actions need the presenter token (Authorization: Bearer <token>; the presenter's page takes it from ?presenter=<token>, printed when the playground starts); on this machine the printed playground link and its terminal act as the presenter",
    };
  }
}
