/**
 * A refused control action (trigger, function, faults, step mode): HTTP and Socket.IO both show
 * it as `{"error": {"code", "message", "detail"?}}`. Codes follow AWS where AWS has one
 * (ValidationException, InvalidParameterValueException).
 */
export class ControlError extends Error {
  override readonly name = "ControlError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The playground's reason, when `message` is AWS's exact text and says less (e.g. "Invalid filter pattern definition."). */
    readonly detail?: string,
  ) {
    super(message);
  }
}
