import type { SqsError } from "../errors.js";

/**
 * Replies in the query protocol's XML. Each action's result goes in `<XResult>` (present even when
 * empty: aws-cli 2.9 fails on a ReceiveMessage reply without `<ReceiveMessageResult/>`), maps and
 * lists flattened as SQS flattens them. `\r` is written as `&#xD;` so it survives XML's
 * line-ending normalisation. Source: SQS API reference, each action's "Response Elements" (XML).
 */

const NAMESPACE = "http://queue.amazonaws.com/doc/2012-11-05/";

const escape = (text: string) =>
  text.replace(/[&<>"'\r]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;", "\r": "&#xD;" })[c]!);

/** An element; an array value repeats the element (flattened list), an object nests. */
function element(name: string, value: unknown): string {
  if (value === undefined || value === null) return "";
  if (Array.isArray(value)) return value.map((item) => element(name, item)).join("");
  if (typeof value === "object") return `<${name}>${Object.entries(value).map(([k, v]) => element(k, v)).join("")}</${name}>`;
  return `<${name}>${escape(String(value))}</${name}>`;
}

const nameValues = (map: unknown) => Object.entries((map ?? {}) as Record<string, unknown>).map(([Name, Value]) => ({ Name, Value }));

/** The result members of an action, renamed as the query protocol names them. */
function resultMembers(action: string, output: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(output)) {
    if (key === "Messages") {
      result.Message = (value as Record<string, unknown>[]).map(({ Attributes, MessageAttributes, ...rest }) => ({
        ...rest,
        Attribute: nameValues(Attributes),
        MessageAttribute: nameValues(MessageAttributes),
      }));
    } else if (key === "Attributes") result.Attribute = nameValues(value);
    else if (key === "QueueUrls" || key === "queueUrls") result.QueueUrl = value;
    else if (key === "Tags") result.Tag = Object.entries(value as Record<string, unknown>).map(([Key, Value]) => ({ Key, Value }));
    else if (key === "Successful") result[`${action}ResultEntry`] = value;
    else if (key === "Failed") result.BatchResultErrorEntry = value;
    else if (key === "Results") result.ListMessageMoveTasksResultEntry = value;
    else result[key] = value;
  }
  return result;
}

/** A successful reply as XML. */
export function resultXml(action: string, output: Record<string, unknown>, requestId: string): string {
  const inner = Object.entries(resultMembers(action, output)).map(([k, v]) => element(k, v)).join("");
  const result = inner === "" ? `<${action}Result/>` : `<${action}Result>${inner}</${action}Result>`;
  return `<?xml version="1.0"?><${action}Response xmlns="${NAMESPACE}">${result}${element("ResponseMetadata", { RequestId: requestId })}</${action}Response>`;
}

/** An error reply as XML: `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>`. */
export function errorXml(error: SqsError, requestId: string): string {
  const body = element("Type", error.fault) + element("Code", error.code) + element("Message", error.message);
  return `<?xml version="1.0"?><ErrorResponse xmlns="${NAMESPACE}"><Error>${body}</Error>${element("RequestId", requestId)}</ErrorResponse>`;
}

/** The same reply as JSON, for a query GET that asks for `Accept: application/json` (AWS negotiates so). */
export function resultJson(action: string, output: Record<string, unknown>, requestId: string): string {
  return JSON.stringify({ [`${action}Response`]: { [`${action}Result`]: output, ResponseMetadata: { RequestId: requestId } } });
}
