// The floor under any SQS on node:http: a bare node:http server that reads each request's body and
// answers the engine scenario's calls with fixed replies, doing no SQS work at all (SendMessage a
// fixed id, ReceiveMessage always the same 10 messages, the rest an empty object). What it costs
// per call, every SQS server on node:http pays before doing anything. Usage: node bench/peers/bare-http.mjs
import { createServer } from "node:http";

const message = (i) => ({ MessageId: `m${i}`, ReceiptHandle: `h${i}`, MD5OfBody: "0".repeat(32), Body: '{"task_id":1,"title":"bench"}' });
const REPLIES = {
  "AmazonSQS.CreateQueue": JSON.stringify({ QueueUrl: "http://127.0.0.1/000000000000/bench" }),
  "AmazonSQS.SendMessage": JSON.stringify({ MessageId: "00000000-0000-0000-0000-000000000000", MD5OfMessageBody: "0".repeat(32) }),
  "AmazonSQS.ReceiveMessage": JSON.stringify({ Messages: Array.from({ length: 10 }, (_, i) => message(i)) }),
};
const server = createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    Buffer.concat(chunks).toString("utf8");
    const body = REPLIES[String(request.headers["x-amz-target"])] ?? "{}";
    response.writeHead(200, { "content-type": "application/x-amz-json-1.0", "content-length": Buffer.byteLength(body) });
    response.end(body);
  });
});
server.listen(0, "127.0.0.1", () => console.log(`listening on ${server.address().port}`));
process.once("SIGTERM", () => server.close(() => process.exit(0)));
