import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  DeleteFunctionConcurrencyCommand,
  GetFunctionCommand,
  LambdaClient,
  ListFunctionsCommand,
  PutFunctionConcurrencyCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
  type Runtime,
} from "@aws-sdk/client-lambda";
import { ProvisioningError, awsCode } from "./provisioningError.js";

export interface FunctionSpec {
  name: string;
  /** The zipped bundle (index.mjs exporting `handler`). */
  zip: Uint8Array;
  runtime: Runtime;
  roleArn: string;
  timeoutSeconds: number;
  memoryMb: number;
  environment: Record<string, string>;
}

/** How long to wait for the function to become Active (LocalStack pulls a runtime image the first time). */
const WAIT_SECONDS = 300;

/**
 * The one owner of the Lambda function: deploy (create, or update code and configuration when it
 * exists, so a re-run is idempotent), change its timeout, remove it. Only the Lambda API is used,
 * so LocalStack and AWS share every line.
 */
export class LambdaFunction {
  constructor(
    private readonly client: LambdaClient,
    private readonly pollSeconds = 1,
  ) {}

  async deploy(spec: FunctionSpec): Promise<string> {
    const existing = await this.find(spec.name);
    const configuration = {
      FunctionName: spec.name,
      Runtime: spec.runtime,
      Role: spec.roleArn,
      Handler: "index.handler",
      Timeout: spec.timeoutSeconds,
      MemorySize: spec.memoryMb,
      Environment: { Variables: spec.environment },
    };
    if (!existing) {
      const created = await this.call("CreateFunction", () =>
        this.client.send(new CreateFunctionCommand({ ...configuration, Code: { ZipFile: spec.zip }, PackageType: "Zip", Description: "Queue Flow Playground: processes task messages" })),
      );
      await this.waitFor("active", spec.name);
      return created.FunctionArn ?? "";
    }
    await this.call("UpdateFunctionCode", () => this.client.send(new UpdateFunctionCodeCommand({ FunctionName: spec.name, ZipFile: spec.zip })));
    await this.waitFor("updated", spec.name);
    const updated = await this.call("UpdateFunctionConfiguration", () => this.client.send(new UpdateFunctionConfigurationCommand(configuration)));
    await this.waitFor("updated", spec.name);
    return updated.FunctionArn ?? existing;
  }

  async setTimeout(name: string, timeoutSeconds: number): Promise<void> {
    await this.call("UpdateFunctionConfiguration", () => this.client.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Timeout: timeoutSeconds })));
    await this.waitFor("updated", name);
  }

  /**
   * Reserve concurrency for the function (PutFunctionConcurrency; 0 stops every invocation), or
   * remove the reservation (null: DeleteFunctionConcurrency), so Lambda throttles what passes it.
   * AWS: https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionConcurrency.html
   */
  async setReservedConcurrency(name: string, reserved: number | null): Promise<void> {
    if (reserved === null) await this.call("DeleteFunctionConcurrency", () => this.client.send(new DeleteFunctionConcurrencyCommand({ FunctionName: name })));
    else await this.call("PutFunctionConcurrency", () => this.client.send(new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: reserved })));
  }

  /** The function's ARN, or undefined when there is none. */
  async find(name: string): Promise<string | undefined> {
    try {
      const found = await this.client.send(new GetFunctionCommand({ FunctionName: name }));
      return found.Configuration?.FunctionArn ?? name;
    } catch (error) {
      if (awsCode(error) === "ResourceNotFoundException") return undefined;
      throw new ProvisioningError("GetFunction", error);
    }
  }

  /** Names of the functions whose names start with `prefix` (teardown removes only those). */
  async list(prefix: string): Promise<string[]> {
    const names: string[] = [];
    let Marker: string | undefined;
    do {
      const page = await this.call("ListFunctions", () => this.client.send(new ListFunctionsCommand({ Marker })));
      names.push(...(page.Functions ?? []).map((f) => f.FunctionName ?? "").filter((n) => n.startsWith(prefix)));
      Marker = page.NextMarker;
    } while (Marker);
    return names;
  }

  async remove(name: string): Promise<boolean> {
    try {
      await this.client.send(new DeleteFunctionCommand({ FunctionName: name }));
      return true;
    } catch (error) {
      if (awsCode(error) === "ResourceNotFoundException") return false;
      throw new ProvisioningError("DeleteFunction", error);
    }
  }

  private async waitFor(state: "active" | "updated", name: string): Promise<void> {
    const waiter = state === "active" ? waitUntilFunctionActiveV2 : waitUntilFunctionUpdatedV2;
    try {
      await waiter({ client: this.client, maxWaitTime: WAIT_SECONDS, minDelay: this.pollSeconds, maxDelay: Math.max(this.pollSeconds, 5) }, { FunctionName: name });
    } catch (error) {
      throw new ProvisioningError(state === "active" ? "waiting for the function to become Active" : "waiting for the function update", error);
    }
  }

  private async call<T>(operation: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw new ProvisioningError(operation, error);
    }
  }
}
