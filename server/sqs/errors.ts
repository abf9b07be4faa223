/**
 * SQS errors as AWS names them. Actions and the model throw SqsError; the HTTP layer turns it into
 * a reply once. `code` is the code clients report (boto3's `Error.Code`, the aws CLI's message, the
 * query XML's `<Code>`, the JSON protocol's `x-amzn-query-error` header); `type` is the modelled
 * name the JSON protocol puts in `__type` (boto3's `QueryErrorCode`). Source: SQS API reference,
 * "Common Errors" and each action's Errors section; the pairs were read from AWS-recorded snapshots.
 */
export class SqsError extends Error {
  override readonly name = "SqsError";

  constructor(
    /** The code clients see, e.g. `AWS.SimpleQueueService.NonExistentQueue`. */
    readonly code: string,
    message: string,
    readonly status = 400,
    /** Sender (the request is wrong) or Receiver (the service failed). */
    readonly fault: "Sender" | "Receiver" = "Sender",
  ) {
    super(message);
  }

  /** The modelled name, e.g. `QueueDoesNotExist`; namespaced (`ns#Name`) for the common layer's errors. */
  get type(): string {
    return MODELLED_TYPES[this.code] ?? this.code.replace(LEGACY, "");
  }
}

const LEGACY = "AWS.SimpleQueueService.";
const MODELLED_TYPES: Record<string, string> = {
  [`${LEGACY}NonExistentQueue`]: "QueueDoesNotExist",
  QueueAlreadyExists: "QueueNameExists",
  InvalidParameterValue: "InvalidParameterValueException",
  MissingParameter: "MissingRequiredParameterException",
  // Errors of AWS's common service layer, not of SQS: their `__type` names that layer.
  AccessDenied: "com.amazon.coral.service#AccessDeniedException",
  SerializationException: "com.amazon.coral.service#SerializationException",
};

/** Errors AWS answers with no `x-amzn-query-error` header (the query protocol never had them). */
export const NO_QUERY_CODE = new Set(["SerializationException"]);

/** The errors several actions raise, with AWS's exact wording. */
export const errors = {
  queueDoesNotExist: () => new SqsError(`${LEGACY}NonExistentQueue`, "The specified queue does not exist."),
  missingParameter: (name: string) => new SqsError("MissingParameter", `The request must contain the parameter ${name}.`),
  invalidParameterValue: (message: string) => new SqsError("InvalidParameterValue", message),
  /** "Value X for parameter Y is invalid. Reason: Z." */
  invalidValue: (value: unknown, parameter: string, reason: string) =>
    new SqsError("InvalidParameterValue", `Value ${String(value)} for parameter ${parameter} is invalid. Reason: ${reason}`),
  receiptHandleIsInvalid: (handle: string) =>
    new SqsError("ReceiptHandleIsInvalid", `The input receipt handle "${handle}" is not a valid receipt handle.`),
  serviceUnavailable: () =>
    new SqsError("ServiceUnavailable", "The request has failed due to a temporary failure of the server.", 503, "Receiver"),
};
