import { describe, expect, it } from "vitest";
import { localizeAddresses } from "../../server/lessons/lessonService.js";

describe("a lesson's addresses", () => {
  it("are replaced by the real ones", () => {
    const text = "curl http://localhost:8000/tasks; awslocal --endpoint-url http://localhost:4566 sqs list-queues";
    expect(localizeAddresses(text, { playgroundUrl: "http://localhost:41000", sqsPort: 42000 })).toBe(
      "curl http://localhost:41000/tasks; awslocal --endpoint-url http://localhost:42000 sqs list-queues",
    );
  });

  it("are replaced once, even when the playground's own port starts with 4566", () => {
    const text = "curl -X POST http://localhost:8000/tasks";
    expect(localizeAddresses(text, { playgroundUrl: "http://localhost:45663", sqsPort: 44087 })).toBe("curl -X POST http://localhost:45663/tasks");
  });

  it("leave other ports that merely start with the defaults alone", () => {
    expect(localizeAddresses("localhost:45660 and http://localhost:80001", { playgroundUrl: "http://localhost:1", sqsPort: 2 })).toBe("localhost:45660 and http://localhost:80001");
  });
});
