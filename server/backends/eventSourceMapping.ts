import {
  CreateEventSourceMappingCommand,
  DeleteEventSourceMappingCommand,
  GetEventSourceMappingCommand,
  LambdaClient,
  ListEventSourceMappingsCommand,
  UpdateEventSourceMappingCommand,
  type EventSourceMappingConfiguration,
} from "@aws-sdk/client-lambda";
import type { TriggerSettings } from "../../common/events.js";
import { ProvisioningError, awsCode } from "./provisioningError.js";

/** A mapping in one of these states is still changing: wait before touching it again. */
const TRANSITIONS = new Set(["Creating", "Enabling", "Disabling", "Updating", "Deleting"]);
const WAIT_MS = 120_000;

/**
 * Our settings as the fields of Create/UpdateEventSourceMapping (they were named after them).
 * AWS removes a maximum concurrency only when ScalingConfig is sent empty, so `{}` is sent only
 * to clear one that is set; otherwise ScalingConfig is left out. FilterCriteria likewise.
 */
function fields(settings: TriggerSettings, current?: EventSourceMappingConfiguration) {
  const maximum = settings.ScalingConfig.MaximumConcurrency;
  const clearing = maximum === undefined && current?.ScalingConfig?.MaximumConcurrency !== undefined;
  return {
    BatchSize: settings.BatchSize,
    MaximumBatchingWindowInSeconds: settings.MaximumBatchingWindowInSeconds,
    FunctionResponseTypes: [...settings.FunctionResponseTypes],
    ...(maximum !== undefined ? { ScalingConfig: { MaximumConcurrency: maximum } } : clearing ? { ScalingConfig: {} } : {}),
    Enabled: settings.Enabled,
    // `{}` only to remove filters the mapping has (UpdateEventSourceMapping keeps them otherwise).
    ...(settings.FilterCriteria
      ? { FilterCriteria: { Filters: settings.FilterCriteria.Filters.map((f) => ({ Pattern: f.Pattern })) } }
      : current?.FilterCriteria?.Filters?.length
        ? { FilterCriteria: {} }
        : {}),
  };
}

/**
 * The one owner of the event source mapping (the "trigger" of step 4) when Lambda runs it:
 * created once per queue and function, updated on a re-run or a settings change, waited on until
 * it settles, removed by teardown.
 */
export class EventSourceMapping {
  constructor(
    private readonly client: LambdaClient,
    private readonly pollMs = 1000,
    private readonly sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  ) {}

  /** Create the mapping, or bring an existing one in line; resolves once it is Enabled or Disabled. */
  async ensure(functionName: string, eventSourceArn: string, settings: TriggerSettings): Promise<EventSourceMappingConfiguration> {
    const existing = await this.find(functionName, eventSourceArn);
    if (existing?.UUID) return this.update(existing.UUID, settings);
    const created = await this.call("CreateEventSourceMapping", () =>
      this.client.send(new CreateEventSourceMappingCommand({ FunctionName: functionName, EventSourceArn: eventSourceArn, ...fields(settings) })),
    );
    return this.settle(created.UUID ?? "");
  }

  async update(uuid: string, settings: TriggerSettings): Promise<EventSourceMappingConfiguration> {
    const current = await this.settle(uuid);
    await this.call("UpdateEventSourceMapping", () => this.client.send(new UpdateEventSourceMappingCommand({ UUID: uuid, ...fields(settings, current) })));
    return this.settle(uuid);
  }

  async find(functionName: string, eventSourceArn: string): Promise<EventSourceMappingConfiguration | undefined> {
    const all = await this.list(functionName);
    return all.find((m) => m.EventSourceArn === eventSourceArn);
  }

  async list(functionName: string): Promise<EventSourceMappingConfiguration[]> {
    const mappings: EventSourceMappingConfiguration[] = [];
    let Marker: string | undefined;
    try {
      do {
        const page = await this.client.send(new ListEventSourceMappingsCommand({ FunctionName: functionName, Marker }));
        mappings.push(...(page.EventSourceMappings ?? []));
        Marker = page.NextMarker;
      } while (Marker);
    } catch (error) {
      if (awsCode(error) === "ResourceNotFoundException") return [];
      throw new ProvisioningError("ListEventSourceMappings", error);
    }
    return mappings;
  }

  async remove(uuid: string): Promise<void> {
    try {
      await this.client.send(new DeleteEventSourceMappingCommand({ UUID: uuid }));
    } catch (error) {
      if (awsCode(error) !== "ResourceNotFoundException") throw new ProvisioningError("DeleteEventSourceMapping", error);
    }
  }

  /** Poll until the mapping leaves its transition state (there is no SDK waiter for mappings). */
  private async settle(uuid: string): Promise<EventSourceMappingConfiguration> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const mapping = await this.call("GetEventSourceMapping", () => this.client.send(new GetEventSourceMappingCommand({ UUID: uuid })));
      if (!TRANSITIONS.has(mapping.State ?? "")) return mapping;
      if (Date.now() > deadline) throw new ProvisioningError("waiting for the event source mapping", new Error(`still ${mapping.State} after ${WAIT_MS / 1000} s`));
      await this.sleep(this.pollMs);
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
