"""
boto3 for the conformance tests: reads one JSON request a line on stdin, answers one JSON line on
stdout. A request is {"protocol": "own"|"json"|"query", "endpoint": url, "operation": "SendMessage",
"params": {...}}; the answer is {"result": {...}} or {"error": {"code", "message", "status"}}.
Run with --available it prints which protocols this boto3 can speak and which it speaks by
itself ("own": what a learner's boto3 sends with no help): {"json": bool, "query": bool, "own": "json"}.

The JSON protocol is botocore's own SQS model when it is a JSON one (botocore >= 1.31.x). The
query protocol is botocore's own model when it is still a query one (Debian's python3-botocore),
or else the query model Debian's aws-cli ships (copied into a temporary data directory, so only
the SQS model is replaced). Why: a learner's Python may be either age, and both must work.
"""

import atexit
import base64
import datetime
import json
import os
import shutil
import sys
import tempfile

import boto3
import botocore.config
import botocore.exceptions

AWS_CLI_MODEL = "/usr/lib/python3/dist-packages/awscli/botocore/data/sqs/2012-11-05/service-2.json"
CONFIG = botocore.config.Config(retries={"max_attempts": 1}, read_timeout=30)


def _session(data_dir=None):
    session = boto3.session.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1")
    if data_dir:
        session._session.get_component("data_loader").search_paths.insert(0, data_dir)
    return session


def _own_protocol():
    return _session().client("sqs", endpoint_url="http://127.0.0.1:1").meta.service_model.protocol


OWN = _own_protocol()
QUERY_DATA_DIR = None
if OWN != "query" and os.path.exists(AWS_CLI_MODEL):
    QUERY_DATA_DIR = tempfile.mkdtemp(prefix="boto3-sqs-query-")
    os.makedirs(f"{QUERY_DATA_DIR}/sqs/2012-11-05")
    shutil.copy(AWS_CLI_MODEL, f"{QUERY_DATA_DIR}/sqs/2012-11-05/service-2.json")
    atexit.register(shutil.rmtree, QUERY_DATA_DIR, ignore_errors=True)

AVAILABLE = {"json": OWN == "json", "query": OWN == "query" or QUERY_DATA_DIR is not None, "own": OWN}
_clients = {}


def client(protocol, endpoint):
    protocol = OWN if protocol == "own" else protocol
    key = (protocol, endpoint)
    if key not in _clients:
        session = _session(QUERY_DATA_DIR if protocol == "query" and OWN != "query" else None)
        made = session.client("sqs", endpoint_url=endpoint, config=CONFIG)
        assert made.meta.service_model.protocol == protocol, f"boto3 here cannot speak {protocol}"
        _clients[key] = made
    return _clients[key]


def _plain(value):
    """Results as JSON: bytes become base64, times ISO strings."""
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode()
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    raise TypeError(type(value))


def answer(request):
    sqs = client(request["protocol"], request["endpoint"])
    method = getattr(sqs, _snake(sqs, request["operation"]))
    try:
        result = method(**request.get("params", {}))
        result.pop("ResponseMetadata", None)
        return {"result": result}
    except botocore.exceptions.ClientError as error:
        details = error.response.get("Error", {})
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        return {"error": {"code": details.get("Code"), "message": details.get("Message"), "status": status}}
    except botocore.exceptions.ParamValidationError as error:
        return {"error": {"code": "ParamValidationError", "message": str(error), "status": None}}


def _snake(sqs, operation):
    for name, api in sqs.meta.method_to_api_mapping.items():
        if api == operation:
            return name
    raise ValueError(f"boto3's {sqs.meta.service_model.protocol} model has no operation {operation}")


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--available":
        print(json.dumps(AVAILABLE))
        return
    for line in sys.stdin:
        request = json.loads(line)
        try:
            reply = answer(request)
        except Exception as error:  # a broken request: say so, keep serving the other tests
            reply = {"error": {"code": "DriverError", "message": f"{type(error).__name__}: {error}", "status": None}}
        reply["id"] = request.get("id")
        sys.stdout.write(json.dumps(reply, default=_plain) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
