#!/usr/bin/env bash
# Runs LocalStack's AWS-validated SQS tests against our SQS engine and prints the pass figures.
#
#   scripts/conformance/run.sh [pytest args…]        e.g.  -k fifo
#
# Needs: python3 with boto3 and pytest; a local copy of github.com/localstack/localstack in
# LOCALSTACK_DIR (default /tmp/localstack-wt; nothing of it is committed here). The engine is started
# on PORT (default 19566) with tsx and stopped at the end (EXTERNAL_ENDPOINT=<url> measures another
# endpoint instead). Results: $CONFORMANCE_RESULTS (JSON lines); `summary.py <file> -v` details them.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export LOCALSTACK_DIR="${LOCALSTACK_DIR:-/tmp/localstack-wt}"
export CONFORMANCE_RESULTS="${CONFORMANCE_RESULTS:-/tmp/sqs-conformance.jsonl}"
port="${PORT:-19566}"
export SQS_ENDPOINT="http://localhost:$port"
tests="${TESTS:-tests/aws/services/sqs/test_sqs.py}"
[ -f "$LOCALSTACK_DIR/$tests" ] || { echo "No $LOCALSTACK_DIR/$tests: clone localstack/localstack there first." >&2; exit 2; }

if [ -n "${EXTERNAL_ENDPOINT:-}" ]; then
  # Measure another SQS endpoint already running (for comparison), e.g. EXTERNAL_ENDPOINT=http://localhost:19570
  export SQS_ENDPOINT="$EXTERNAL_ENDPOINT"
else
  if curl -s -o /dev/null "$SQS_ENDPOINT"; then echo "Something already listens on port $port: set PORT." >&2; exit 2; fi
  (cd "$root" && exec node --import tsx server/sqs/standalone.ts "$port") > "${CONFORMANCE_RESULTS%.jsonl}-engine.log" 2>&1 &
  engine=$!
  trap 'kill "$engine" 2>/dev/null || true' EXIT
  for _ in $(seq 50); do curl -s -o /dev/null "$SQS_ENDPOINT" && break; sleep 0.2; done
fi

# Resolved here: LocalStack's .python-version would switch pyenv to a Python without boto3.
python="$(python3 -c 'import sys; print(sys.executable)')"
rm -f "$CONFORMANCE_RESULTS"
cd "$LOCALSTACK_DIR"
PYTHONPATH="$here:$LOCALSTACK_DIR/localstack-core:$LOCALSTACK_DIR" AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test \
  "$python" -m pytest -p sqs_conformance --noconftest -c "$here/pytest.ini" --rootdir "$LOCALSTACK_DIR" -q "$tests" "$@" \
  > "${CONFORMANCE_RESULTS%.jsonl}-pytest.log" 2>&1 || true
"$python" "$here/summary.py" "$CONFORMANCE_RESULTS"
