// Followers read freely (no token), and a read such as GET /tasks or a snapshot can weigh
// megabytes: their reads are rate-limited like every other request, over HTTP per address and
// over Socket.IO per connection (issue 14, item 4).
import { networkInterfaces } from "node:os";
import { io, type Socket } from "socket.io-client";
import { afterEach, describe, expect, it } from "vitest";
import type { ClientToServerEvents, Reply, ServerToClientEvents, TriggerView } from "../../common/events.js";
import { CONNECT_RATE_LIMIT, SOCKET_RATE_LIMIT } from "../../server/events/rateLimit.js";
import { playgroundPerFile } from "../helpers/playground.js";

/** This machine's address on a network: how a classroom's followers reach it. */
const lanAddress = Object.values(networkInterfaces())
  .flatMap((list) => list ?? [])
  .find((entry) => entry.family === "IPv4" && !entry.internal)?.address;
/** Far more than the burst, sent at once: even a slow machine cannot refill the bucket in time for all of them. */
const REQUESTS = 200;

const playground = playgroundPerFile({ HOST: "0.0.0.0", CLASSROOM: "true", PRESENTER_TOKEN: "presenter-token-for-tests-0123456789", TRIGGER_ENABLED: "false" });
const sockets: Socket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.disconnect();
});

const statuses = async (base: string, path: string) => {
  const answers = await Promise.all(Array.from({ length: REQUESTS }, () => fetch(`${base}${path}`)));
  return { answers, counts: answers.reduce<Record<number, number>>((counts, a) => ({ ...counts, [a.status]: (counts[a.status] ?? 0) + 1 }), {}) };
};

describe("followers' reads", () => {
  it.skipIf(!lanAddress)("answers a flood of reads from another machine with 429 RateLimited once its burst is spent", async () => {
    const port = new URL(playground().url).port;
    let { answers, counts } = await statuses(`http://${lanAddress}:${port}`, "/tasks");
    expect(counts[200]).toBeGreaterThanOrEqual(SOCKET_RATE_LIMIT.burst);
    // On a machine loaded enough that 200 requests take seconds to arrive, the bucket refills as
    // they come: flood again (at most twice more) rather than conclude there is no limit.
    for (let round = 0; round < 2 && !counts[429]; round++) ({ answers, counts } = await statuses(`http://${lanAddress}:${port}`, "/tasks"));
    expect(counts[429]).toBeGreaterThan(0);
    const refused = answers.find((a) => a.status === 429);
    expect(refused?.headers.get("retry-after")).toBe("1");
    expect(await refused?.json()).toEqual({ error: { code: "RateLimited", message: expect.stringContaining(`at most ${SOCKET_RATE_LIMIT.burst} at once`) } });
  });

  it("does not count requests from this machine, where only the learner can ask", async () => {
    const { counts } = await statuses(playground().url, "/tasks");
    expect(counts).toEqual({ 200: REQUESTS });
  });

  it.skipIf(!lanAddress)("refuses another machine's connections past its burst with RateLimited, since each costs a snapshot", async () => {
    const port = new URL(playground().url).port;
    const outcomes = await Promise.all(
      Array.from({ length: 2 * CONNECT_RATE_LIMIT.burst }, () => {
        const socket = io(`http://${lanAddress}:${port}`, { transports: ["websocket"], forceNew: true, reconnection: false });
        sockets.push(socket);
        return new Promise<unknown>((resolve) => {
          socket.once("snapshot", () => resolve("connected"));
          socket.once("connect_error", (error: Error & { data?: unknown }) => resolve(error.data));
        });
      }),
    );
    expect(outcomes.filter((o) => o === "connected").length).toBeGreaterThanOrEqual(CONNECT_RATE_LIMIT.burst);
    expect(outcomes.find((o) => o !== "connected")).toEqual({ code: "RateLimited", message: expect.stringContaining(`too many connections from ${lanAddress}`) });
  });

  it("rate-limits a follower's reads over Socket.IO with RateLimited", async () => {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(playground().url, { transports: ["websocket"], forceNew: true });
    sockets.push(socket);
    await new Promise((resolve) => socket.once("snapshot", resolve));
    await new Promise((resolve) => socket.emit("follow:join", resolve));
    const replies = await Promise.all(Array.from({ length: REQUESTS }, () => new Promise<Reply<TriggerView>>((resolve) => socket.emit("trigger:get", resolve))));
    expect(replies.filter((r) => "data" in r).length).toBeLessThan(REQUESTS);
    expect(replies.find((r) => "error" in r)).toEqual({ error: { code: "RateLimited", message: expect.stringContaining("slow down") } });
  });
});
