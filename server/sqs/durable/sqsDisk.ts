import { mkdir, open, rename } from "node:fs/promises";
import { dirname, join } from "node:path";
import { StoreError } from "../../store/errors.js";
import { Journal } from "../../store/journal.js";
import type { Durability, EngineChange } from "../model/changes.js";
import type { SqsEngine } from "../model/engine.js";
import { LINE_SHAPE, parseRecord, type SqsRecord } from "./lineShapes.js";
import { lineOf, replay, restoreInto, stateLines } from "./records.js";

/** When a reply waits for its changes: their fsync ("reply", the default), or only their write ("background"). */
export type SqsFsync = "reply" | "background";

/** The engine's state as of the last compaction, in DATA_DIR. */
export const SQS_STATE_FILE = "sqs.jsonl";
/** Its changes since then, one line each (see EngineChange). */
export const SQS_JOURNAL_FILE = "sqs.journal.jsonl";
/** The journal is folded into the state file once it is this long… */
const MIN_COMPACTION_BYTES = 8 * 1024 * 1024;
/** …and longer than this many times the state file, so compaction costs stay a fraction of the writes. */
const COMPACTION_RATIO = 2;

interface Waiting {
  promise: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}
function waiting(): Waiting {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/**
 * The embedded SQS's durability: every change the engine makes is a journal line, written and
 * fsynced before the reply that acknowledges it is sent (acknowledged = on disk). The lines of one
 * turn of the event loop, and those made while an fsync is under way, share one write and one
 * fsync (group commit), so a burst costs an fsync per batch of requests, not one per request.
 * Now and then (and at start after a crash, and at stop) the journal is folded into sqs.jsonl.
 */
export class SqsDisk implements Durability {
  /** Lines recorded and not yet written, and whoever waits for them. */
  private pending: string[] = [];
  private next: Waiting | undefined;
  /** The batch being fsynced (undefined: none), and whoever waits for it. */
  private syncing: { waiting: Waiting | undefined } | undefined;
  private scheduled = false;
  private journalBytes = 0;
  private stateBytes = 0;
  private compacting: Promise<void> | undefined;
  /** Background fsync: lines were written while an fsync was under way, so another must follow it. */
  private syncAgain = false;
  /** The journal holds lines from before this process (a crash): fold them in at the first chance. */
  private foldSoon = false;

  private constructor(
    private readonly engine: SqsEngine,
    private readonly journal: Journal<SqsRecord>,
    private readonly stateFile: string,
    private readonly log: (message: string) => void,
    /** "reply": committed() waits for the fsync; "background": for the write only (the fsync follows). */
    private readonly fsync: SqsFsync,
  ) {}

  /**
   * Restores the engine (which must have no queues yet) from `dataDir` and keeps it durable from
   * then on. Queues come back with their attributes, tags and messages; a message's delay or
   * visibility timeout runs on from the absolute time it had (one that ended while the process
   * was down is visible at once), and its retention likewise.
   * @param now epoch ms, for the name of a bad file's copy
   * @throws StoreError naming the file and line when a line is not one of ours (a copy is kept)
   */
  static async open(dataDir: string, engine: SqsEngine, options: { now?: number; log?: (message: string) => void; fsync?: SqsFsync } = {}): Promise<SqsDisk> {
    await mkdir(dataDir, { recursive: true });
    const now = options.now ?? Date.now();
    const journal = new Journal(join(dataDir, SQS_JOURNAL_FILE), parseRecord, LINE_SHAPE);
    const stateFile = join(dataDir, SQS_STATE_FILE);
    const state = await journal.entriesOf(stateFile, now);
    const changes = await journal.read(now);
    restoreInto(engine, replay([...state, ...changes]));
    const disk = new SqsDisk(engine, journal, stateFile, options.log ?? ((message) => console.error(message)), options.fsync ?? "reply");
    engine.durability = disk;
    // After a crash: fold the journal in soon (not before the port opens: start-up stays short), so the next start reads one file.
    if (changes.length > 0) {
      disk.foldSoon = true;
      setImmediate(() => disk.compactIfIdle());
    }
    return disk;
  }

  record(change: EngineChange): void {
    this.pending.push(lineOf(change));
    if (!this.scheduled && (!this.syncing || this.fsync === "background")) {
      this.scheduled = true;
      setImmediate(this.commit);
    }
  }

  committed(): Promise<void> | undefined {
    // In the background mode, lines already written need not wait for their fsync.
    if (this.fsync === "background" && this.pending.length === 0) return undefined;
    return this.synced();
  }

  /** The next write's or fsync's end while lines are pending or being fsynced; undefined once all are. */
  private synced(): Promise<void> | undefined {
    if (this.pending.length > 0) return (this.next ??= waiting()).promise;
    if (this.syncing) return (this.syncing.waiting ??= waiting()).promise;
    return undefined;
  }

  /** Writes what is pending, folds the journal into sqs.jsonl and lets go of the files (the engine is closed). */
  async close(): Promise<void> {
    // Every line written and fsynced, whatever `fsync` says: rotating closes the file an fsync may be running on.
    for (let wait = this.synced(); wait; wait = this.synced()) await wait.catch(() => {});
    await this.compacting;
    if (this.journalBytes > 0 || this.foldSoon) this.startCompaction();
    await this.compacting;
    this.journal.close();
    if (this.engine.durability === this) this.engine.durability = undefined;
  }

  /**
   * One write for every line pending, run once per turn: with fsync "reply", only between fsyncs
   * (the lines made during one wait for the next, and their replies with them); with "background",
   * at once, the fsync following (another one after the fsync under way, if any).
   */
  private readonly commit = (): void => {
    this.scheduled = false;
    if (this.pending.length === 0 || (this.syncing && this.fsync === "reply")) return;
    const lines = this.pending;
    const waiting = this.next;
    this.pending = [];
    this.next = undefined;
    try {
      // Only between fsyncs: rotating closes the file an fsync would be running on.
      const long = this.journalBytes > Math.max(MIN_COMPACTION_BYTES, COMPACTION_RATIO * this.stateBytes);
      if (!this.syncing && !this.compacting && (this.foldSoon || long)) this.startCompaction();
      this.journal.append(lines);
      for (const line of lines) this.journalBytes += line.length;
    } catch (cause) {
      this.failed(cause, waiting);
      return;
    }
    if (this.fsync === "background") waiting?.resolve();
    if (this.syncing) this.syncAgain = true;
    else this.startSync(this.fsync === "reply" ? waiting : undefined);
  };

  private startSync(waiting: Waiting | undefined): void {
    const batch = { waiting };
    this.syncing = batch;
    this.journal.sync().then(
      () => this.settle(batch, undefined),
      (cause: unknown) => this.settle(batch, cause),
    );
  }

  private settle(batch: { waiting: Waiting | undefined }, cause: unknown): void {
    this.syncing = undefined;
    if (cause === undefined) batch.waiting?.resolve();
    else this.failed(cause, batch.waiting);
    if (this.syncAgain) {
      this.syncAgain = false;
      this.startSync(undefined);
    }
    if (this.pending.length > 0) this.commit();
  }

  /** A write or fsync failed: said once in the log, and to whoever waits (their replies become InternalErrors). */
  private failed(cause: unknown, waiting: Waiting | undefined): void {
    const error = new StoreError(`could not write ${this.journal.file}: ${String(cause)}`, this.journal.file, { cause });
    this.log(`embedded SQS: ${error.message}`);
    waiting?.reject(error);
  }

  /** A compaction now unless an fsync is under way (then the next commit starts it). */
  private compactIfIdle(): void {
    if (!this.syncing && !this.compacting && this.foldSoon) this.startCompaction();
  }

  /**
   * Moves the journal aside and writes the engine's state as sqs.jsonl (the state is taken now,
   * synchronously; the file is written meanwhile, then fsynced and renamed into place). Lines
   * recorded from now on go to a fresh journal: a crash at any point replays the old state file or
   * the new one, then the moved-aside lines, then the fresh ones, which ends in the same state.
   */
  private startCompaction(): void {
    this.foldSoon = false;
    this.journal.rotate();
    this.journalBytes = 0;
    const text = stateLines(this.engine).join("");
    this.stateBytes = text.length;
    this.compacting = writeDurably(this.stateFile, text)
      .then(() => this.journal.dropRotated())
      .catch((cause: unknown) => this.log(`embedded SQS: could not write ${this.stateFile} (its changes stay in the journal): ${String(cause)}`))
      .finally(() => (this.compacting = undefined));
  }
}

/** `text` as `file`, never half-written: a temp file, fsynced, renamed over it, and the folder fsynced so the rename lasts. */
async function writeDurably(file: string, text: string): Promise<void> {
  const temp = `${file}.tmp`;
  const handle = await open(temp, "w");
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
  const folder = await open(dirname(file), "r");
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}
