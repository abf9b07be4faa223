// Lambda event filtering for an SQS trigger: the mapping's FilterCriteria, EventBridge pattern
// syntax, matched against each record before an invocation. A record that matches no pattern is
// deleted without invoking the function. No well-kept EventBridge-pattern library is in the npm
// registry this project uses, so the documented operators are implemented here, one test each.
// Sources: lambda/latest/dg/invocation-eventfiltering.html, with-sqs-filtering.html;
// eventbridge/latest/userguide/eb-create-pattern-operators.html.
import type { SQSRecord } from "aws-lambda";
import type { FilterCriteria } from "../../common/events.js";
import { ControlError } from "../control/errors.js";

/** Lambda's limits: 5 filters per mapping (a quota AWS can raise to 10), 4,096 characters per pattern. */
export const MAX_FILTERS = 5;
export const MAX_PATTERN_LENGTH = 4096;

type Pattern = { [key: string]: Pattern | Matcher[] | Pattern[] };
type Matcher = string | number | boolean | null | { [operator: string]: unknown };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** AWS's message, exactly (LocalStack's AWS-validated test_sqs_invalid_event_filter); AWS says no more, so our reason goes in `detail`. */
export const INVALID_FILTER = "Invalid filter pattern definition.";
const invalid = (why: string) => new ControlError(400, "InvalidParameterValueException", INVALID_FILTER, why);

const OPERATORS = new Set(["prefix", "suffix", "equals-ignore-case", "wildcard", "anything-but", "numeric", "exists"]);

function checkMatcher(matcher: unknown, at: string): void {
  if (!isObject(matcher)) {
    if (matcher === null || ["string", "number", "boolean"].includes(typeof matcher)) return;
    throw invalid(`${at} holds ${JSON.stringify(matcher)}, which is neither a value nor an operator`);
  }
  const keys = Object.keys(matcher);
  const operator = keys[0];
  if (keys.length !== 1 || operator === undefined || !OPERATORS.has(operator)) {
    throw invalid(`${at} uses ${JSON.stringify(matcher)}; the operators are ${[...OPERATORS].join(", ")}`);
  }
  const operand = matcher[operator];
  const bad = () => invalid(`${at}: "${operator}" cannot take ${JSON.stringify(operand)}`);
  if (["prefix", "suffix", "equals-ignore-case", "wildcard"].includes(operator) && typeof operand !== "string") throw bad();
  if (operator === "exists" && typeof operand !== "boolean") throw bad();
  if (operator === "numeric") {
    if (!Array.isArray(operand) || operand.length === 0 || operand.length % 2 !== 0) throw bad();
    for (let i = 0; i < operand.length; i += 2) {
      if (!["<", "<=", "=", ">", ">="].includes(String(operand[i])) || typeof operand[i + 1] !== "number") throw bad();
    }
  }
  if (operator === "anything-but") {
    const ok =
      typeof operand === "string" ||
      typeof operand === "number" ||
      (Array.isArray(operand) && operand.every((v) => typeof v === "string" || typeof v === "number")) ||
      (isObject(operand) && Object.keys(operand).length === 1 && ["prefix", "suffix", "equals-ignore-case"].some((k) => typeof operand[k] === "string"));
    if (!ok) throw bad();
  }
}

function checkPattern(pattern: unknown, at: string): asserts pattern is Pattern {
  if (!isObject(pattern) || Object.keys(pattern).length === 0) throw invalid(`${at || "the pattern"} must be a non-empty JSON object`);
  for (const [key, value] of Object.entries(pattern)) {
    const here = at ? `${at}.${key}` : key;
    if (key === "$or") {
      if (!Array.isArray(value) || value.length < 2) throw invalid(`${here} must be a list of at least two patterns`);
      value.forEach((alternative, i) => checkPattern(alternative, `${here}[${i}]`));
    } else if (Array.isArray(value)) {
      if (value.length === 0) throw invalid(`${here} is an empty list, which matches nothing`);
      value.forEach((matcher) => checkMatcher(matcher, here));
    } else checkPattern(value, here);
  }
}

/**
 * Validates a FilterCriteria value from UpdateEventSourceMapping. Returns it normalised (`{}` and
 * `{"Filters": []}` mean no filtering: undefined). Throws ControlError 400
 * InvalidParameterValueException naming what is wrong; nothing is changed then.
 */
export function parseFilterCriteria(value: unknown): FilterCriteria | undefined {
  if (value === null || value === undefined) return undefined;
  if (!isObject(value) || Object.keys(value).some((k) => k !== "Filters")) throw invalid('FilterCriteria must be {"Filters": [{"Pattern": "<JSON>"}]}');
  const filters = value.Filters ?? [];
  if (!Array.isArray(filters)) throw invalid("Filters must be a list");
  if (filters.length > MAX_FILTERS) throw invalid(`at most ${MAX_FILTERS} filters per event source mapping`);
  if (filters.length === 0) return undefined;
  return {
    Filters: filters.map((filter, i) => {
      if (!isObject(filter) || typeof filter.Pattern !== "string" || Object.keys(filter).length !== 1) throw invalid(`Filters[${i}] must be {"Pattern": "<JSON string>"}`);
      if (filter.Pattern.length > MAX_PATTERN_LENGTH) throw invalid(`Filters[${i}].Pattern is longer than ${MAX_PATTERN_LENGTH} characters`);
      let parsed: unknown;
      try {
        parsed = JSON.parse(filter.Pattern);
      } catch {
        throw invalid(`Filters[${i}].Pattern is not JSON`);
      }
      checkPattern(parsed, "");
      return { Pattern: filter.Pattern };
    }),
  };
}

function matchOne(matcher: Matcher, value: unknown): boolean {
  if (!isObject(matcher)) return value === matcher;
  const [operator, operand] = Object.entries(matcher)[0] as [string, unknown];
  const text = typeof value === "string" ? value : undefined;
  switch (operator) {
    case "prefix":
      return text !== undefined && text.startsWith(operand as string);
    case "suffix":
      return text !== undefined && text.endsWith(operand as string);
    case "equals-ignore-case":
      return text !== undefined && text.toLowerCase() === (operand as string).toLowerCase();
    case "wildcard":
      return text !== undefined && new RegExp(`^${(operand as string).split("*").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`, "s").test(text);
    case "numeric": {
      if (typeof value !== "number") return false;
      const terms = operand as (string | number)[];
      for (let i = 0; i < terms.length; i += 2) {
        const bound = terms[i + 1] as number;
        const holds = { "<": value < bound, "<=": value <= bound, "=": value === bound, ">": value > bound, ">=": value >= bound }[terms[i] as string];
        if (!holds) return false;
      }
      return true;
    }
    case "anything-but": {
      if (value === undefined) return false;
      if (isObject(operand)) return !matchOne(operand as Matcher, value);
      return !(Array.isArray(operand) ? operand : [operand]).includes(value as string | number);
    }
    default:
      return false;
  }
}

/** A leaf: any matcher against the value (or any element of a list value). `exists` is about presence. */
function matchLeaf(matchers: Matcher[], value: unknown): boolean {
  return matchers.some((matcher) => {
    if (isObject(matcher) && "exists" in matcher) return matcher.exists === (value !== undefined);
    if (value === undefined) return false;
    return Array.isArray(value) ? value.some((v) => matchOne(matcher, v)) : matchOne(matcher, value);
  });
}

function matches(pattern: Pattern, data: unknown): boolean {
  return Object.entries(pattern).every(([key, expected]) => {
    if (key === "$or") return (expected as Pattern[]).some((alternative) => matches(alternative, data));
    const value = isObject(data) ? data[key] : undefined;
    if (Array.isArray(expected)) return matchLeaf(expected as Matcher[], value);
    return matches(expected as Pattern, value);
  });
}

/**
 * Whether a record passes the mapping's filters: true when there are none, or when any pattern
 * matches. The record is matched with its `body` parsed when it is JSON (so `{"body": {"task_id":
 * …}}` works) and as the plain string otherwise (a JSON pattern then does not match it).
 */
export function passesFilters(criteria: FilterCriteria | undefined, record: SQSRecord): boolean {
  if (!criteria) return true;
  let body: unknown = record.body;
  try {
    body = JSON.parse(record.body);
  } catch {
    // A plain-string body is matched as the string.
  }
  const data = { ...record, body };
  let patterns = parsed.get(criteria);
  if (!patterns) parsed.set(criteria, (patterns = criteria.Filters.map((filter) => JSON.parse(filter.Pattern) as Pattern)));
  return patterns.some((pattern) => matches(pattern, data));
}

/** Each criteria's patterns, parsed once (settings are replaced, never changed in place). */
const parsed = new WeakMap<FilterCriteria, Pattern[]>();
