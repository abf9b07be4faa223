import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { Admission } from "../../server/api/admission.js";
import { errorResponder } from "../../server/api/errors.js";

let close: () => void = () => {};
afterEach(() => close());

async function serve(admission: Admission): Promise<string> {
  const app = express();
  app.use(admission.guard);
  app.all("/tasks", (_req, res) => void res.status(201).json({ ok: true }));
  app.use(errorResponder(() => {}));
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  close = () => server.close();
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("admission while shutting down", () => {
  it("lets work in while open", async () => {
    const url = await serve(new Admission());
    expect((await fetch(`${url}/tasks`, { method: "POST" })).status).toBe(201);
  });

  it("once closed, refuses requests that would change something with a JSON 503 ShuttingDown, and still answers reads", async () => {
    const admission = new Admission();
    const url = await serve(admission);
    admission.close();
    const refused = await fetch(`${url}/tasks`, { method: "POST" });
    expect(refused.status).toBe(503);
    expect(refused.headers.get("connection")).toBe("close");
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("ShuttingDown");
    expect((await fetch(`${url}/tasks`)).status).toBe(201);
  });
});
