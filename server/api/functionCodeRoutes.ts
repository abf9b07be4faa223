import express, { Router, type RequestHandler } from "express";
import { z } from "zod";
import { FUNCTION_CODE_LIMIT } from "../../common/events.js";
import type { TerminalDisabled } from "../../common/terminal.js";
import { CompileError, DeployRefused, type FunctionCode } from "../runtime/functionCode.js";
import { ControlAccess } from "../security/controlAccess.js";
import { isLoopbackHost } from "../terminal/access.js";
import type { ControlGuards } from "./controlGuard.js";
import { requireJson, requireJsonType } from "./controlRoutes.js";
import { ApiError } from "./errors.js";

/**
 * The deploy body's limit in bytes: FUNCTION_CODE_LIMIT code units at their longest in JSON (six
 * bytes for an escaped control character), so code over the limit gets the schema's clear 400,
 * never a bare 413. (The API's other bodies stay at 16 KiB.)
 */
const DEPLOY_BODY_LIMIT_BYTES = FUNCTION_CODE_LIMIT * 6 + 4096;

export interface FunctionCodeDeps {
  /** Null when the backend runs functions elsewhere (LocalStack, AWS). */
  code: FunctionCode | null;
  guards: ControlGuards;
  access: ControlAccess;
  /** Why code cells are off for everyone (the terminal's rule: beyond loopback, a classroom, a container), or null. */
  off: TerminalDisabled | null;
}

const deploySchema = z.strictObject({ language: z.enum(["nodejs", "python"]), code: z.string().max(FUNCTION_CODE_LIMIT, `code: at most ${FUNCTION_CODE_LIMIT} characters (256 Ki)`) });

/**
 * Running a learner's code is the terminal's level of trust: only on the learner's own machine
 * (a loopback client, the playground not in a classroom or container) and with the page's or the
 * terminal's token, which a page of another site never has.
 */
function learnerOnly(deps: FunctionCodeDeps): RequestHandler {
  return (req, _res, next) => {
    if (deps.off) throw new ApiError(403, "CodeCellsOff", deps.off.reason.replace("the terminal is off", "code cells are off"));
    if (!isLoopbackHost(req.socket.remoteAddress ?? "")) throw new ApiError(403, "CodeCellsOff", "code cells only run code for a client on this machine");
    if (!deps.access.isPresenter(ControlAccess.credential(req.headers.authorization))) {
      throw new ApiError(403, "PageTokenRequired", "deploying code needs the token of the playground's start URL (Authorization: Bearer <token>), as the page sends it");
    }
    next();
  };
}

function available(deps: FunctionCodeDeps): FunctionCode {
  if (!deps.code) throw new ApiError(409, "CodeCellsUnavailable", "functions run inside LocalStack or AWS in this mode: code cells need the embedded mode (npm start)");
  return deps.code;
}

/**
 * `GET /api/function/code` (anyone may read: followers see the code), `PUT` to deploy a new
 * version, `DELETE` to go back to the lesson's handler. See README "Code cells".
 */
export function functionCodeRoutes(deps: FunctionCodeDeps): Router {
  const router = Router({ caseSensitive: true });
  const guard = [...deps.guards.control, learnerOnly(deps)];
  router.get("/function/code", async (_req, res) => void res.json(await available(deps).view()));
  router.put("/function/code", ...guard, requireJson, express.json({ limit: DEPLOY_BODY_LIMIT_BYTES, strict: false }), async (req, res) => {
    const code = available(deps);
    const parsed = deploySchema.safeParse(req.body);
    if (!parsed.success) throw new ApiError(400, "InvalidFunctionCode", parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "));
    try {
      res.json(await code.deploy(parsed.data.language, parsed.data.code));
    } catch (error) {
      if (error instanceof CompileError) {
        res.status(400).json({ error: { code: "CompileError", message: error.message, line: error.line, column: error.column } });
        return;
      }
      if (error instanceof DeployRefused) throw new ApiError(409, error.code, error.message);
      throw error;
    }
  });
  router.delete("/function/code", ...guard, requireJsonType, async (_req, res) => void res.json(await available(deps).reset()));
  return router;
}
