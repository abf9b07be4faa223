import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, unknown>;
  body: Record<string, unknown>;
}

interface StubFunction {
  FunctionName: string;
  FunctionArn: string;
  Runtime: string;
  Role: string;
  Handler: string;
  Timeout: number;
  MemorySize: number;
  Environment: { Variables: Record<string, string> };
  State: "Active";
  LastUpdateStatus: "Successful";
  zip: string;
  /** PutFunctionConcurrency's value; absent when none is reserved. */
  ReservedConcurrentExecutions?: number;
}

interface StubMapping {
  UUID: string;
  FunctionArn: string;
  EventSourceArn: string;
  State: string;
  [field: string]: unknown;
}

export interface LambdaStub {
  url: string;
  requests: RecordedRequest[];
  functions: Map<string, StubFunction>;
  mappings: Map<string, StubMapping>;
  /** The operations called, in order, as "METHOD path-shape". */
  operations(): string[];
  close(): Promise<void>;
}

const PREFIX = "/2015-03-31";

/**
 * A STUB of the Lambda API for tests: no Lambda service can run here (no Docker). It records every
 * request the real SDK sends and keeps just enough state to answer like Lambda: functions become
 * Active at once, a new mapping reports "Creating" once and then its requested state.
 */
export async function startLambdaStub(region = "us-east-1"): Promise<LambdaStub> {
  const requests: RecordedRequest[] = [];
  const functions = new Map<string, StubFunction>();
  const mappings = new Map<string, StubMapping>();
  const arn = (name: string) => `arn:aws:lambda:${region}:000000000000:function:${name}`;
  const notFound = (res: express.Response, message: string) =>
    void res.status(404).set("x-amzn-errortype", "ResourceNotFoundException").json({ Type: "User", Message: message });
  const view = (fn: StubFunction) => {
    const { zip: _zip, ...configuration } = fn;
    return configuration;
  };
  const nameOf = (raw: string) => raw.split(":").pop() ?? raw;
  const settled = (m: StubMapping) => {
    if (m.State === "Creating" || m.State === "Updating") m.State = m.Enabled === false ? "Disabled" : "Enabled";
    return m;
  };

  const app = express();
  app.use(express.json({ type: () => true, limit: "50mb" }));
  app.use((req, _res, next) => {
    requests.push({ method: req.method, path: req.path, query: { ...req.query }, body: (req.body ?? {}) as Record<string, unknown> });
    next();
  });
  app.post(`${PREFIX}/functions`, (req, res) => {
    const body = req.body as Record<string, any>;
    if (functions.has(body.FunctionName)) return void res.status(409).set("x-amzn-errortype", "ResourceConflictException").json({ Type: "User", Message: "Function already exist" });
    const fn: StubFunction = {
      FunctionName: body.FunctionName,
      FunctionArn: arn(body.FunctionName),
      Runtime: body.Runtime,
      Role: body.Role,
      Handler: body.Handler,
      Timeout: body.Timeout,
      MemorySize: body.MemorySize,
      Environment: body.Environment,
      State: "Active",
      LastUpdateStatus: "Successful",
      zip: body.Code?.ZipFile,
    };
    functions.set(fn.FunctionName, fn);
    res.status(201).json(view(fn));
  });
  app.get(`${PREFIX}/functions`, (_req, res) => void res.json({ Functions: [...functions.values()].map(view) }));
  app.get(`${PREFIX}/functions/:name`, (req, res) => {
    const fn = functions.get(nameOf(req.params.name));
    if (!fn) return notFound(res, `Function not found: ${arn(req.params.name)}`);
    res.json({ Configuration: view(fn), Code: { RepositoryType: "S3" } });
  });
  app.put(`${PREFIX}/functions/:name/code`, (req, res) => {
    const fn = functions.get(nameOf(req.params.name));
    if (!fn) return notFound(res, "Function not found");
    fn.zip = (req.body as { ZipFile: string }).ZipFile;
    res.json(view(fn));
  });
  app.put(`${PREFIX}/functions/:name/configuration`, (req, res) => {
    const fn = functions.get(nameOf(req.params.name));
    if (!fn) return notFound(res, "Function not found");
    Object.assign(fn, req.body);
    res.json(view(fn));
  });
  // PutFunctionConcurrency / DeleteFunctionConcurrency live under their own API version.
  app.put("/2017-10-31/functions/:name/concurrency", (req, res) => {
    const fn = functions.get(nameOf(req.params.name));
    if (!fn) return notFound(res, "Function not found");
    fn.ReservedConcurrentExecutions = Number((req.body as { ReservedConcurrentExecutions: number }).ReservedConcurrentExecutions);
    res.json({ ReservedConcurrentExecutions: fn.ReservedConcurrentExecutions });
  });
  app.delete("/2017-10-31/functions/:name/concurrency", (req, res) => {
    const fn = functions.get(nameOf(req.params.name));
    if (!fn) return notFound(res, "Function not found");
    delete fn.ReservedConcurrentExecutions;
    res.status(204).end();
  });
  app.delete(`${PREFIX}/functions/:name`, (req, res) => {
    if (!functions.delete(nameOf(req.params.name))) return notFound(res, "Function not found");
    res.status(204).end();
  });
  app.post(`${PREFIX}/event-source-mappings`, (req, res) => {
    const body = req.body as Record<string, unknown>;
    const mapping: StubMapping = { ...body, UUID: randomUUID(), FunctionArn: arn(String(body.FunctionName)), EventSourceArn: String(body.EventSourceArn), State: "Creating" };
    delete mapping.FunctionName;
    mappings.set(mapping.UUID, mapping);
    res.status(202).json(mapping);
  });
  app.get(`${PREFIX}/event-source-mappings`, (req, res) => {
    const name = String(req.query.FunctionName ?? "");
    res.json({ EventSourceMappings: [...mappings.values()].filter((m) => !name || m.FunctionArn === arn(nameOf(name))) });
  });
  app.get(`${PREFIX}/event-source-mappings/:uuid`, (req, res) => {
    const mapping = mappings.get(req.params.uuid);
    if (!mapping) return notFound(res, "The resource you requested does not exist.");
    res.json(settled(mapping));
  });
  app.put(`${PREFIX}/event-source-mappings/:uuid`, (req, res) => {
    const mapping = mappings.get(req.params.uuid);
    if (!mapping) return notFound(res, "The resource you requested does not exist.");
    Object.assign(mapping, req.body, { State: "Updating" });
    res.status(202).json(mapping);
  });
  app.delete(`${PREFIX}/event-source-mappings/:uuid`, (req, res) => {
    const mapping = mappings.get(req.params.uuid);
    if (!mapping) return notFound(res, "The resource you requested does not exist.");
    mappings.delete(req.params.uuid);
    res.status(202).json({ ...mapping, State: "Deleting" });
  });

  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    functions,
    mappings,
    operations: () => requests.map((r) => `${r.method} ${r.path.replace(/[0-9a-f-]{36}/, "{UUID}")}`),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
