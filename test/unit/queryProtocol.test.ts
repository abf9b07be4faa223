import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { errorToXml, jsonToXml, queryToJson } from "../../server/queue/queryProtocol.js";

const Q = "http://localhost:4566/000000000000/interview-queue";
const parse = (xml: string) => new XMLParser({ ignoreAttributes: false, isArray: (name) => ["Message", "Attribute", "QueueUrl", "SendMessageBatchResultEntry"].includes(name) }).parse(xml);

describe("the SQS query protocol, as older CLIs send it", () => {
  it("reads SendMessage with message attributes (as aws-cli 2.9 sends them)", () => {
    expect(
      queryToJson({
        Action: "SendMessage", Version: "2012-11-05", QueueUrl: Q, MessageBody: "hi", DelaySeconds: "1",
        "MessageAttribute.1.Name": "k", "MessageAttribute.1.Value.DataType": "String", "MessageAttribute.1.Value.StringValue": "v",
        "MessageAttribute.2.Name": "b", "MessageAttribute.2.Value.DataType": "Binary", "MessageAttribute.2.Value.BinaryValue": "AQID",
      }),
    ).toEqual({
      action: "SendMessage",
      input: {
        QueueUrl: Q, MessageBody: "hi", DelaySeconds: 1,
        MessageAttributes: { k: { DataType: "String", StringValue: "v" }, b: { DataType: "Binary", BinaryValue: "AQID" } },
      },
    });
  });

  it("reads ReceiveMessage's attribute name lists and numbers", () => {
    expect(queryToJson({ Action: "ReceiveMessage", QueueUrl: Q, "AttributeName.1": "All", "MessageAttributeName.1": "All", MaxNumberOfMessages: "10", WaitTimeSeconds: "2", VisibilityTimeout: "3" }).input).toEqual({
      QueueUrl: Q, AttributeNames: ["All"], MessageAttributeNames: ["All"], MaxNumberOfMessages: 10, WaitTimeSeconds: 2, VisibilityTimeout: 3,
    });
  });

  it("reads batch entries in order, however many digits their index has", () => {
    const params: Record<string, string> = { Action: "DeleteMessageBatch", QueueUrl: Q };
    for (let i = 1; i <= 10; i++) Object.assign(params, { [`DeleteMessageBatchRequestEntry.${i}.Id`]: `e${i}`, [`DeleteMessageBatchRequestEntry.${i}.ReceiptHandle`]: `r${i}` });
    const { input } = queryToJson(params);
    expect((input.Entries as { Id: string }[]).map((e) => e.Id)).toEqual(Array.from({ length: 10 }, (_, i) => `e${i + 1}`));
  });

  it("reads queue attributes and tags as maps (CreateQueue's tags are lower-case in JSON)", () => {
    expect(queryToJson({ Action: "CreateQueue", QueueName: "q1", "Attribute.1.Name": "VisibilityTimeout", "Attribute.1.Value": "10", "Tag.1.Key": "a", "Tag.1.Value": "b" }).input).toEqual({
      QueueName: "q1", Attributes: { VisibilityTimeout: "10" }, tags: { a: "b" },
    });
    expect(queryToJson({ Action: "TagQueue", QueueUrl: Q, "Tag.1.Key": "a", "Tag.1.Value": "b" }).input).toEqual({ QueueUrl: Q, Tags: { a: "b" } });
    expect(queryToJson({ Action: "UntagQueue", QueueUrl: Q, "TagKey.1": "a", "TagKey.2": "c" }).input).toEqual({ QueueUrl: Q, TagKeys: ["a", "c"] });
  });

  it("writes ReceiveMessage's messages with their attributes as XML, escaping the body", () => {
    const xml = jsonToXml("ReceiveMessage", {
      Messages: [{ MessageId: "m1", ReceiptHandle: "r1", MD5OfBody: "d", Body: 'a <b> & "c"', Attributes: { ApproximateReceiveCount: "2" }, MessageAttributes: { k: { StringValue: "v", DataType: "String" } } }],
    }, "req-1");
    const doc = parse(xml);
    const message = doc.ReceiveMessageResponse.ReceiveMessageResult.Message[0];
    expect(message).toMatchObject({ MessageId: "m1", ReceiptHandle: "r1", Body: 'a <b> & "c"' });
    expect(message.Attribute).toEqual([{ Name: "ApproximateReceiveCount", Value: 2 }]);
    expect(message.MessageAttribute).toEqual({ Name: "k", Value: { StringValue: "v", DataType: "String" } });
    expect(doc.ReceiveMessageResponse.ResponseMetadata.RequestId).toBe("req-1");
    expect(doc.ReceiveMessageResponse["@_xmlns"]).toBe("http://queue.amazonaws.com/doc/2012-11-05/");
  });

  it("writes an action without a result as a bare response with its request id", () => {
    expect(parse(jsonToXml("DeleteMessage", {}, "r")).DeleteMessageResponse).toEqual({ ResponseMetadata: { RequestId: "r" }, "@_xmlns": "http://queue.amazonaws.com/doc/2012-11-05/" });
  });

  it("writes errors with the legacy code from x-amzn-query-error, as AWS does", () => {
    const doc = new XMLParser().parse(errorToXml({ __type: "com.amazonaws.sqs#QueueDoesNotExist", message: "The specified queue does not exist." }, "AWS.SimpleQueueService.NonExistentQueue;Sender", "r"));
    expect(doc.ErrorResponse.Error).toEqual({ Type: "Sender", Code: "AWS.SimpleQueueService.NonExistentQueue", Message: "The specified queue does not exist." });
  });
});
