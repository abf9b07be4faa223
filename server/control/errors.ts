/**
 * A refused control action (trigger, function, faults, step mode): HTTP and Socket.IO both show
 * it as `{"error": {"code", "message"}}`. Codes follow AWS where AWS has one
 * (ValidationException, InvalidParameterValueException).
 */
export class ControlError extends Error {
  override readonly name = "ControlError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
