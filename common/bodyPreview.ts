// Message bodies travel to every page in snapshots and events, and SQS allows bodies of up to
// 1 MiB: one page per message body would make each client cost the server megabytes. So what is
// broadcast is a preview with the full length; the whole body is asked for one message at a time.

/** Characters of a message body that snapshots, events and SQS call records carry. */
export const BODY_PREVIEW_CHARS = 256;

/** A message body as broadcast: its first characters, its full length, and whether it was cut. */
export interface BodyPreview {
  /** At most BODY_PREVIEW_CHARS UTF-16 code units (one fewer when a surrogate pair would be split). */
  body: string;
  /** Length of the whole body, in UTF-16 code units (JavaScript's `length`). */
  bodyLength: number;
  /** True when `body` is shorter than the message's body. */
  truncated: boolean;
}

/** The first `limit` characters of `text`, never ending in half a surrogate pair. */
export function cutText(text: string, limit = BODY_PREVIEW_CHARS): string {
  if (text.length <= limit) return text;
  const last = text.charCodeAt(limit - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? limit - 1 : limit);
}

/** The preview of one message body. Parse anything you need from the body (its task id) before cutting it. */
export function previewOf(body: string, limit = BODY_PREVIEW_CHARS): BodyPreview {
  const cut = cutText(body, limit);
  return { body: cut, bodyLength: body.length, truncated: cut.length < body.length };
}

/** A body that is not cut (SQS's own developer endpoint returns whole bodies). */
export function wholeBody(body: string): BodyPreview {
  return { body, bodyLength: body.length, truncated: false };
}
