/** At most this many lines of one invocation's output become `lambda.log` events; the rest are counted. */
export const MAX_LOG_LINES = 100;
/** A longer line is cut to this many characters. */
export const MAX_LOG_LINE_CHARS = 2000;
const END_MARK = "\u001eqfp-end:";

export type LogStream = "stdout" | "stderr";

/**
 * Cuts one output stream of an execution environment into lines and gives each to the invocation
 * running when it was written. The runtime loop writes an end mark (`\x1eqfp-end:<request id>`)
 * on both streams after each invocation, before it posts the result: a pipe and the Runtime API's
 * socket are read in no fixed order, so the mark, not arrival time, says where an invocation's
 * output ends.
 */
export class StreamLines {
  private partial = "";

  constructor(
    private readonly stream: LogStream,
    private readonly onLine: (stream: LogStream, line: string) => void,
    private readonly onEndMark: (stream: LogStream, requestId: string) => void,
  ) {}

  push(chunk: string): void {
    const lines = (this.partial + chunk).split("\n");
    this.partial = lines.pop() ?? "";
    for (const line of lines) this.line(line);
  }

  /** The stream closed: what is left is a last line. */
  end(): void {
    if (this.partial) this.line(this.partial);
    this.partial = "";
  }

  private line(raw: string): void {
    const text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    const mark = text.indexOf(END_MARK);
    if (mark < 0) return this.onLine(this.stream, text);
    if (mark > 0) this.onLine(this.stream, text.slice(0, mark));
    this.onEndMark(this.stream, text.slice(mark + END_MARK.length));
  }
}

/** Counts one invocation's lines against MAX_LOG_LINES; says once how many more were left out. */
export class LogBudget {
  private lines = 0;

  /** The line to publish (cut to MAX_LOG_LINE_CHARS), or null when over budget. */
  take(line: string): string | null {
    this.lines += 1;
    if (this.lines > MAX_LOG_LINES) return null;
    return line.length > MAX_LOG_LINE_CHARS ? `${line.slice(0, MAX_LOG_LINE_CHARS)}… (${line.length} characters)` : line;
  }

  /** A closing line when some were left out, else null. */
  summary(): string | null {
    const over = this.lines - MAX_LOG_LINES;
    return over > 0 ? `… ${over} more line(s) of output not shown (at most ${MAX_LOG_LINES} per invocation)` : null;
  }
}
