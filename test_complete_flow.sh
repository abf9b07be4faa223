#!/usr/bin/env bash
# The complete flow, checked from outside against a running playground (any mode):
# creates a task with curl, shows its message on the queue, waits until the task is completed,
# and prints each of the six steps. Exits non-zero with a clear message if it is not completed in time.
#
#   ./test_complete_flow.sh                      # against http://localhost:8000
#   PLAYGROUND_URL=http://localhost:8001 TIMEOUT_SECONDS=20 ./test_complete_flow.sh
set -euo pipefail

URL="${PLAYGROUND_URL:-http://localhost:8000}"
TIMEOUT="${TIMEOUT_SECONDS:-10}"
TITLE="${TASK_TITLE:-Test Task}"

fail() { echo "FAILED: $*" >&2; exit 1; }
# Read one field from JSON on stdin with Node (always present: the playground needs it).
field() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=process.argv[1].split(".").reduce((o,k)=>o==null?o:o[k],JSON.parse(s));console.log(v==null?"":typeof v==="object"?JSON.stringify(v):v)})' "$1"; }

command -v curl >/dev/null || fail "curl is not installed"
health=$(curl -sS --max-time 5 "$URL/health") || fail "no playground answers at $URL (start it with: npm start)"
queue_url=$(field queues.queueUrl <<<"$health")
echo "Playground at $URL — mode $(field mode <<<"$health"), queue $queue_url, trigger $(field trigger.state <<<"$health")"

echo
echo "Step 1 — the API receives the request and creates the task (pending)"
echo "  \$ curl -X POST $URL/tasks -H \"Content-Type: application/json\" -d '{\"title\": \"$TITLE\"}'"
response=$(curl -sS -w '\n%{http_code}' -X POST "$URL/tasks" -H "Content-Type: application/json" \
  -d "$(node -e 'console.log(JSON.stringify({title: process.argv[1]}))' "$TITLE")")
status_code=${response##*$'\n'}
task=${response%$'\n'*}
echo "  HTTP $status_code: $(node -e 'try{console.log(JSON.stringify(JSON.parse(process.argv[1])))}catch{console.log(process.argv[1])}' "$task")"
[[ "$status_code" == "201" || "$status_code" == "202" ]] || fail "POST /tasks answered $status_code"
id=$(field id <<<"$task")
message_id=$(field messageId <<<"$task")

echo
echo "Step 2 — the API sent a message to SQS"
if [[ -n "$message_id" ]]; then
  echo "  message $message_id with body {\"task_id\": $id, \"title\": \"$TITLE\"}"
else
  echo "  SendMessage failed ($(field sendError <<<"$task")); the reconciler will send it again"
fi

echo
echo "Step 3 — SQS holds the message until the Lambda trigger takes it"
queues=$(curl -sS --max-time 5 "$URL/api/queues" || echo "[]")
node -e '
  const [queues, id] = [JSON.parse(process.argv[1]), process.argv[2]];
  const q = queues[0]; if (!q) { console.log("  (queue inspection not available)"); process.exit(0); }
  const m = q.messages.find((m) => m.messageId === id);
  console.log(`  ${q.name}: ${q.visible} visible, ${q.inFlight} in flight` + (m ? ` — ours is ${m.state}, received ${m.receiveCount}×` : " — ours is already gone (fast trigger)"));
' "$queues" "$message_id"

echo
echo "Steps 4–5 — the trigger invokes the handler, which processes the task"
deadline=$(( $(date +%s) + TIMEOUT ))
last=""
while :; do
  current=$(curl -sS --max-time 5 "$URL/tasks/$id") || fail "GET /tasks/$id failed"
  status=$(field status <<<"$current")
  if [[ "$status" != "$last" ]]; then echo "  task $id is $status"; last=$status; fi
  [[ "$status" == "completed" ]] && break
  [[ "$status" == "failed" ]] && fail "task $id failed: $(field lastError <<<"$current")"
  (( $(date +%s) < deadline )) || fail "task $id is still '$status' after ${TIMEOUT}s (is the trigger enabled? see $URL/health)"
  sleep 0.1
done

echo
echo "Step 6 — the message is deleted from the queue"
while :; do
  queues=$(curl -sS --max-time 5 "$URL/api/queues" || echo "[]")
  present=$(node -e 'const q=JSON.parse(process.argv[1]);console.log(q.some(x=>x.messages.some(m=>m.messageId===process.argv[2]))?"yes":"no")' "$queues" "$message_id")
  [[ "$present" == "no" ]] && break
  (( $(date +%s) < deadline )) || fail "message $message_id is still on the queue after ${TIMEOUT}s"
  sleep 0.1
done
echo "  message ${message_id:-?} is no longer on the queue"

echo
echo "PASSED: task $id went through all six steps"
