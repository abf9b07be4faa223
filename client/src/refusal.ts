// A refused request in the page's words: the error's message (AWS's own, when AWS has one) and,
// when the playground adds why, that reason after it — so AWS's exact text and the explanation
// are both in front of the learner.

/** `{"error": {"message", "detail"?}}` → "message (detail)"; without an error body, "HTTP <status>". */
export function refusalOf(json: unknown, status: number): string {
  const error = (json as { error?: { message?: unknown; detail?: unknown } } | null)?.error;
  if (typeof error?.message !== "string") return `HTTP ${status}`;
  return typeof error.detail === "string" && error.detail ? `${error.message} (${error.detail})` : error.message;
}
