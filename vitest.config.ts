import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The files that take minutes (mostly waiting at a person's pace or on real visibility timeouts),
 * longest first. Vitest orders files by the durations it cached on the last run, and a clean
 * checkout (CI) has none: it then goes by file size, and a small file of five minutes started
 * last made the whole suite wait for it. These start first; the rest follow in vitest's order.
 */
const LONG_FIRST = [
  "test/e2e/learnerPace.test.ts",
  "test/e2e/learnerPaceLater.test.ts",
  "test/e2e/lessonsInBrowser.test.ts",
  "test/lessons/solves.1.test.ts",
  "test/lessons/labsHiding.test.ts",
  "test/lessons/drill.test.ts",
  "test/e2e/drill.test.ts",
  "test/lessons/labs.test.ts",
  "test/lessons/solves.0.test.ts",
  "test/lessons/solves.2.test.ts",
  "test/lessons/solvesRuntime.test.ts",
];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const at = LONG_FIRST.findIndex((path) => file.moduleId.endsWith(path));
      return at < 0 ? LONG_FIRST.length : at;
    };
    // Array sort is stable: the files not listed keep vitest's order.
    return [...(await super.sort(files))].sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests start real servers on port 0; files run in parallel, tests in a file in order.
    pool: "forks",
    // A worker keeps its imported modules from one test file to the next (the AWS SDK, the server,
    // lowdb, socket.io): importing them again for each of ~140 files cost much of the suite's CPU
    // (farm-bench, the unit tests and seven integration files: 59 s of CPU isolated, 22 s not; the
    // whole suite's import time fell from 390 s to 133 s).
    // Test files share no state but their own: every playground is started per test or per file.
    isolate: false,
    // Seven files at a time on two cores: the lesson, lab and drill files (solves.*, labs*, drill,
    // the lessons-at-a-person's-pace browser files) are minutes of mostly waiting on real visibility
    // timeouts and retention periods (the suite used 40 % of two cores with three workers), and with
    // fewer workers everything else waited behind them. Whole suite: five workers 775 s (2026-12-02);
    // seven 540 s and eight 594 s (2026-12-03, a learner's browser test running beside each: eight
    // only added contention); every test passed in each run. 2026-12-04, seven again: 879 s with 6
    // tests failed and 815 s with 2 failed (a different set each run, each passing alone: deadlines
    // missed at load 12+); five, to give the timing-sensitive files (labs, drill, the functions'
    // timeouts, the bench harness) the cores their deadlines assume.
    maxWorkers: 5,
    // The lessons and labs of one file (it.concurrent in test/lessons) run three at a time, each on
    // its own playground: with five the shards' timing-sensitive lessons (11, 18, 20) missed their
    // deadlines on two cores.
    maxConcurrency: 3,
    sequence: { sequencer: LongestFirst },
    // One retry of a failed test: on two shared cores each whole-suite run of this session had one
    // test (a different one each time) miss a real deadline under load 11–17 and pass alone; each is
    // then given room or fixed (see git log), and the report still names every test that was retried.
    retry: 1,
    // The SDK's Node 20 notice is said once in the README; it would repeat in every test file.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  },
});
