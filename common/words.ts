/** "1 record", "3 records": a count with its noun, for sentences a learner reads ("1 record(s)" read as a form). */
export function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
