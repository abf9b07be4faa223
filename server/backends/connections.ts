import type { LambdaClientConfig } from "@aws-sdk/client-lambda";
import type { Config } from "../config.js";
import type { SqsConnection } from "../queue/taskQueue.js";

/**
 * How to reach SQS and Lambda outside embedded mode: LocalStack at its endpoint with its dummy
 * credentials, or AWS with the SDK's own endpoint and credential chain.
 */
export function remoteConnections(config: Config, lambdaEndpoint?: string): { sqs: SqsConnection; lambda: LambdaClientConfig } {
  const endpoint = config.AWS_ENDPOINT_URL_SQS ?? config.AWS_ENDPOINT_URL;
  const credentials = config.mode === "localstack" ? { accessKeyId: "test", secretAccessKey: "test" } : undefined;
  const lambdaAt = lambdaEndpoint ?? config.AWS_ENDPOINT_URL;
  return {
    sqs: { region: config.AWS_REGION, ...(endpoint ? { endpoint } : {}), ...(credentials ? { credentials } : {}) },
    lambda: { region: config.AWS_REGION, ...(lambdaAt ? { endpoint: lambdaAt } : {}), ...(credentials ? { credentials } : {}) },
  };
}
