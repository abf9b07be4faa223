import { mkdtemp, rm } from "node:fs/promises";
import { afterAll, afterEach, beforeAll } from "vitest";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseConfig } from "../../server/config.js";
import { loadDrill, loadLessons } from "../../server/lessons/loadLessons.js";
import { PROJECT_ROOT, startPlayground, type Playground, type PlaygroundOptions } from "../../server/playground.js";
import type { FlowEvent } from "../../common/events.js";
import { testShellEnv } from "./shellHome.js";

export interface TestPlayground extends Playground {
  dataDir: string;
  /** Resolves with the first event (already logged or future) that matches. */
  waitForEvent<E extends FlowEvent>(match: (event: FlowEvent) => event is E, timeoutMs?: number): Promise<E>;
  waitForEvent(match: (event: FlowEvent) => boolean, timeoutMs?: number): Promise<FlowEvent>;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  get(path: string): Promise<Response>;
  /** A JSON request with any method, as curl -X METHOD -H "Content-Type: application/json" [-d …] would send. */
  send(method: string, path: string, body?: unknown): Promise<Response>;
}

export async function makeDataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "qfp-test-"));
}

const PROJECT_LESSONS = resolve(PROJECT_ROOT, "lessons");
let projectLessons: Required<PlaygroundOptions>["loaded"] | undefined;

/**
 * The project's lessons and drill, parsed once per worker (a worker keeps its modules from file to
 * file) rather than at each of the suite's hundreds of starts: parsing them was about 0.2 s of a
 * start's 0.25 s of CPU. Each playground gets a deep copy of its own, as if it had read the files.
 * Another folder (a test's LESSONS_DIR) is still read by the playground itself.
 */
function loadedLessons(lessonsDir: string): PlaygroundOptions["loaded"] {
  if (resolve(PROJECT_ROOT, lessonsDir) !== PROJECT_LESSONS) return undefined;
  if (!projectLessons) {
    const lessons = loadLessons(PROJECT_LESSONS, PROJECT_ROOT);
    projectLessons = { lessons, drill: loadDrill(PROJECT_LESSONS, PROJECT_ROOT, lessons) };
  }
  return structuredClone(projectLessons);
}

/** A real playground: real SQS (our engine), real lowdb in a temp dir, real HTTP, on free ports. */
export async function startTestPlayground(env: Record<string, string> = {}, dataDir?: string, options: PlaygroundOptions = {}): Promise<TestPlayground> {
  const dir = dataDir ?? (await makeDataDir());
  // The lesson's function in this process unless a test asks for the default (LESSON_FUNCTION=runtime):
  // hundreds of playgrounds each starting node environments kept two cores too busy for the suite's
  // ten minutes. The default path has tests of its own (README, "How the tests cover it").
  const config = parseConfig({ PORT: "0", SQS_PORT: "0", DATA_DIR: dir, RECONCILE_INTERVAL_SECONDS: "1", LESSON_FUNCTION: "in-process", ...env }, "test");
  // The terminal's shell inherits the environment, as server/main.ts arranges (HOME aside: see testShellEnv).
  // The built client (npm test builds it first), so browser tests see what `npm start` serves.
  const playground = await startPlayground(config, { log: () => {}, shellEnv: testShellEnv(), clientDir: `${PROJECT_ROOT}dist/client`, loaded: loadedLessons(config.LESSONS_DIR), ...options });
  const waitForEvent = (match: (event: FlowEvent) => boolean, timeoutMs = 15_000) =>
    new Promise<FlowEvent>((resolve, reject) => {
      const seen = playground.events.recent().find(match);
      if (seen) return resolve(seen);
      const timer = setTimeout(() => {
        unsubscribe();
        reject(new Error(`no matching event within ${timeoutMs} ms`));
      }, timeoutMs);
      const unsubscribe = playground.events.subscribe((event) => {
        if (!match(event)) return;
        clearTimeout(timer);
        unsubscribe();
        resolve(event);
      });
    });
  return Object.assign(playground, {
    dataDir: dir,
    waitForEvent: waitForEvent as TestPlayground["waitForEvent"],
    post: (path: string, body: unknown, headers: Record<string, string> = { "content-type": "application/json" }) =>
      fetch(`${playground.url}${path}`, { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) }),
    get: (path: string) => fetch(`${playground.url}${path}`),
    send: (method: string, path: string, body?: unknown) =>
      fetch(`${playground.url}${path}`, { method, headers: { "content-type": "application/json" }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }),
  });
}

export async function removeDataDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export const isType =
  <T extends FlowEvent["type"]>(type: T, where: (event: Extract<FlowEvent, { type: T }>) => boolean = () => true) =>
  (event: FlowEvent): event is Extract<FlowEvent, { type: T }> =>
    event.type === type && where(event as Extract<FlowEvent, { type: T }>);

/**
 * For a test file whose tests each start their own playground: `start` gives a fresh one (or a
 * restart on the same data dir), and every one started is stopped and removed after each test.
 */
export function playgroundPerTest(): { start: (env?: Record<string, string>, dataDir?: string, options?: PlaygroundOptions) => Promise<TestPlayground> } {
  const started: TestPlayground[] = [];
  afterEach(async () => {
    const all = started.splice(0);
    for (const playground of all) await playground.stop();
    // Only after all are stopped: a restarted playground shares its data dir with the first.
    for (const dir of new Set(all.map((p) => p.dataDir))) await removeDataDir(dir);
  });
  return {
    start: async (env, dataDir, options) => {
      const playground = await startTestPlayground(env, dataDir, options);
      started.push(playground);
      return playground;
    },
  };
}

/**
 * For `it.concurrent` tests: a playground of this test's own, stopped and removed when the test
 * finishes (playgroundPerTest's afterEach would stop the playgrounds of the tests still running).
 * `context` is the test's context (its `onTestFinished`).
 */
export async function playgroundForTest(context: { onTestFinished: (fn: () => Promise<void>) => void }, env: Record<string, string> = {}): Promise<TestPlayground> {
  const playground = await startTestPlayground(env);
  context.onTestFinished(async () => {
    await playground.stop();
    await removeDataDir(playground.dataDir);
  });
  return playground;
}

/**
 * For a test file whose tests share one playground (each checks that its request changed
 * nothing): started before the file's tests, stopped and removed after them.
 */
export function playgroundPerFile(env: Record<string, string> = {}): () => TestPlayground {
  let playground: TestPlayground | undefined;
  beforeAll(async () => {
    playground = await startTestPlayground(env);
  });
  afterAll(async () => {
    if (!playground) return;
    await playground.stop();
    await removeDataDir(playground.dataDir);
  });
  return () => {
    if (!playground) throw new Error("the file's playground is not started yet (use it inside a test or hook)");
    return playground;
  };
}
