import { z } from "zod";
import type { Faults } from "../../common/events.js";
import type { Publish } from "../events/eventLog.js";
import { ControlError } from "./errors.js";

export const NO_FAULTS: Faults = { failRate: 0, delayMs: 0, timeout: false, crashAfter: null, sqsUnavailable: false, responseKey: "batchItemFailures", retryBackoffSeconds: null };

const faultsSchema = z.strictObject({
  failRate: z.number().min(0).max(1).default(0),
  delayMs: z.number().int().min(0).max(900_000).default(0),
  timeout: z.boolean().default(false),
  crashAfter: z.number().int().min(0).max(10_000).nullable().default(null),
  sqsUnavailable: z.boolean().default(false),
  // A JavaScript/JSON identifier, so the key is one a handler could really write.
  responseKey: z.string().regex(/^[A-Za-z_$][\w$]{0,63}$/, "must be a key a handler could write, like BatchItemFailures").default("batchItemFailures"),
  // Whole seconds, as ChangeMessageVisibility takes them; up to SQS's 12-hour maximum.
  retryBackoffSeconds: z.number().int().min(1).max(43_200).nullable().default(null),
});

/** Parse a PUT body: the whole set of faults; a field left out is off, so `{}` clears all. */
export function parseFaults(body: unknown): Faults {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ControlError(400, "InvalidFaults", 'faults must be a JSON object like {"failRate": 0.5}');
  }
  const result = faultsSchema.safeParse(body);
  if (!result.success) {
    const detail = result.error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");
    throw new ControlError(400, "InvalidFaults", detail);
  }
  return result.data;
}

/** The faults in force, and who must hear when they change. */
export class FaultSwitch {
  private current: Faults = NO_FAULTS;

  constructor(
    private readonly publish: Publish,
    private readonly onChange: (faults: Faults) => void = () => {},
  ) {}

  get faults(): Faults {
    return this.current;
  }

  set(body: unknown): Faults {
    const faults = parseFaults(body);
    this.current = faults;
    this.onChange(faults);
    this.publish({ type: "faults.changed", faults });
    return faults;
  }
}
