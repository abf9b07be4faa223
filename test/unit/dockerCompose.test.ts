import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { Ajv } from "ajv";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { createRequire } from "node:module";
import { PROJECT_ROOT } from "../../server/projectRoot.js";
import { parseConfig } from "../../server/config.js";

// The Compose specification's JSON schema, as dclint (a Compose linter, dev dependency) ships it.
const dclint = dirname(createRequire(import.meta.url).resolve("dclint/package.json"));
const schema = JSON.parse(readFileSync(join(dclint, "schemas", "compose.schema.json"), "utf8")) as { $schema?: string };

interface Service {
  image: string;
  command: string[];
  environment: Record<string, string>;
  volumes: string[];
  ports: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  networks: string[];
}
const compose = parse(readFileSync(join(PROJECT_ROOT, "docker-compose.yml"), "utf8")) as {
  services: { localstack: Service; app: Service };
  networks: Record<string, { name: string }>;
};
const { localstack, app } = compose.services;

describe("docker-compose.yml", () => {
  it("is valid against the Compose specification's JSON schema", () => {
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    // Draft-07 is Ajv's own; its meta-schema needs no loading.
    const { $schema: _draft07, ...rules } = schema;
    const validate = ajv.compile(rules);
    expect(validate(compose), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it("passes dclint's rules without a warning", () => {
    expect(() => execFileSync(join(dclint, "bin", "dclint.cjs"), [join(PROJECT_ROOT, "docker-compose.yml"), "--max-warnings", "0", "--color", "false"], { stdio: "pipe" })).not.toThrow();
  });

  it("pins LocalStack to 4.14.0, the last tag that starts without a token", () => {
    expect(localstack.image).toBe("localstack/localstack:${LOCALSTACK_VERSION:-4.14.0}");
  });

  it("passes LOCALSTACK_AUTH_TOKEN through when it is set", () => {
    expect(localstack.environment.LOCALSTACK_AUTH_TOKEN).toBe("${LOCALSTACK_AUTH_TOKEN:-}");
  });

  it("runs SQS and Lambda with original queue URLs and a short empty-poll back-off", () => {
    expect(localstack.environment).toMatchObject({ SERVICES: "sqs,lambda", SQS_ENDPOINT_STRATEGY: "off", LAMBDA_EVENT_SOURCE_MAPPING_MAX_BACKOFF_ON_EMPTY_POLL_SEC: "1" });
  });

  it("mounts the Docker socket for Lambda containers and puts them on the app's network", () => {
    expect(localstack.volumes).toContain("/var/run/docker.sock:/var/run/docker.sock");
    const network = compose.networks.playground?.name;
    expect(localstack.environment.LAMBDA_DOCKER_NETWORK).toBe(network);
    expect(app.networks).toContain("playground");
    expect(app.environment.PLAYGROUND_INTERNAL_URL).toBe("http://app:8000");
  });

  it("checks LocalStack's health and starts the app only once it is healthy", () => {
    expect(localstack.healthcheck?.test.join(" ")).toContain("/_localstack/health");
    expect(app.depends_on?.localstack?.condition).toBe("service_healthy");
  });

  it("starts the playground against LocalStack on :8000, published on the host's loopback only", () => {
    expect(app.environment.AWS_ENDPOINT_URL).toBe("http://localstack:4566");
    expect(app.ports).toEqual(["127.0.0.1:8000:8000"]);
    // Listening on every interface inside the container is declared, so start-up allows it.
    expect(app.environment).toMatchObject({ HOST: "0.0.0.0", CONTAINER: "true" });
    expect(parseConfig({ ...app.environment }, "test")).toMatchObject({ mode: "localstack", HOST: "0.0.0.0", CLASSROOM: false });
    expect(app.command.join(" ")).toContain("npm install && npm start");
    expect(localstack.ports).toEqual(["127.0.0.1:4566:4566"]);
  });
});
