// A bare Socket.IO server: the event-delivery baseline. It emits the same kind of message the
// playground does (`events`, an array holding one numbered, timestamped event) every few
// milliseconds to each client, with nothing else running. Usage: node bench/peers/bare-socket.mjs
import { createServer } from "node:http";
import { Server } from "socket.io";

const server = createServer();
const io = new Server(server);
io.on("connection", (socket) => {
  let seq = 0;
  const timer = setInterval(() => socket.emit("events", [{ type: "bench.tick", seq: ++seq, at: Date.now() }]), 3);
  socket.on("disconnect", () => clearInterval(timer));
});
server.listen(0, "127.0.0.1", () => console.log(`listening on ${server.address().port}`));
process.once("SIGTERM", () => io.close(() => process.exit(0)));
