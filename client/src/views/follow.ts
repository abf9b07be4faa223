import type { Socket } from "socket.io-client";
import type { ClientToServerEvents, PresenterPosition, ServerToClientEvents } from "../../../common/events.js";

export interface FollowDeps {
  socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  /** Show the moment of event `seq` (null: live), when the presenter travels in time. */
  goToSeq: (seq: number | null) => void;
}

/**
 * The follower page (`?follow`, or the short address `/follow`): a read-only mirror. It joins the
 * followers' room, goes to the presenter's lesson and step as they are announced, and to the
 * moment the presenter rewinds to; the visualizer follows by itself, fed by the same events.
 * Its own controls are hidden or disabled, and the server refuses any it might still send.
 * The learner may scrub on their own; the presenter's next rewind or Live takes over again.
 */
export function mountFollow(badge: HTMLElement, deps: FollowDeps): void {
  document.body.classList.add("follower");
  badge.hidden = false;
  badge.textContent = "Following the presenter (read-only)";
  let presenterSeq: number | null | undefined;

  const follow = (position: PresenterPosition | null) => {
    if (!position) return void (badge.textContent = "Following the presenter (read-only): waiting for the presenter");
    badge.textContent = "Following the presenter (read-only)";
    if (position.lessonId) {
      const hash = `#/lessons/${position.lessonId}/${position.step}`;
      if (location.hash !== hash) location.hash = hash;
    }
    if (position.seq !== presenterSeq) {
      presenterSeq = position.seq;
      deps.goToSeq(position.seq);
    }
  };
  // A reconnected socket has left the room: join again on every connect.
  deps.socket.on("connect", () => {
    deps.socket.emit("follow:join", (reply) => {
      if ("data" in reply) follow(reply.data);
      else badge.textContent = `Cannot follow: ${reply.error.message}`;
    });
  });
  deps.socket.on("presenter:position", follow);
}
