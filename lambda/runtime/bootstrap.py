# The playground's Python runtime loop: what AWS's Python runtime does inside an execution
# environment, in a few lines. It caps the process's memory at the function's memory size, loads
# the handler named by _HANDLER ("lambda_function.lambda_handler") from LAMBDA_TASK_ROOT, then asks
# the Lambda Runtime API for an event, calls lambda_handler(event, context) and posts the returned
# value (a dict for partial batch failures) or the error, forever. Standard library only.
# Source: docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html, python-context.html.
import http.client
import importlib
import json
import os
import resource
import sys
import time
import traceback

env = os.environ
host, _, port = env.get("AWS_LAMBDA_RUNTIME_API", "").partition(":")
BASE = "/2018-06-01/runtime"
# One kept-alive connection: a warm invoke costs no TCP handshake.
connection = http.client.HTTPConnection(host, int(port or 0))


def call(method, path, body=None, headers=None):
    connection.request(method, BASE + path, body=body, headers={"Content-Type": "application/json", **(headers or {})})
    response = connection.getresponse()
    return response.status, response.headers, response.read().decode("utf-8")


def error_payload(error, error_type=None):
    frames = traceback.format_tb(error.__traceback__)
    return {"errorType": error_type or type(error).__name__, "errorMessage": str(error), "stackTrace": frames}


def end_of_output(request_id):
    # Marks the end of an invocation's output on both streams, so each line goes to its invocation.
    marker = "\n\x1eqfp-end:" + request_id + "\n"
    sys.stdout.write(marker)
    sys.stdout.flush()
    sys.stderr.write(marker)
    sys.stderr.flush()


class LambdaContext:
    """The context object of AWS's Python runtime: the same attribute names."""

    def __init__(self, request_id, deadline_ms, function_arn):
        self.aws_request_id = request_id
        self.invoked_function_arn = function_arn
        self.function_name = env.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = env.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.memory_limit_in_mb = env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = env.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = env.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(0, self._deadline_ms - int(time.time() * 1000))


def limit_memory():
    # The function's memory size, plus room for the interpreter itself (address space, not heap).
    megabytes = int(env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")) + int(env.get("QFP_MEMORY_HEADROOM_MB", "64"))
    resource.setrlimit(resource.RLIMIT_AS, (megabytes * 1024 * 1024, megabytes * 1024 * 1024))


def load_handler():
    module_name, _, function_name = env.get("_HANDLER", "").rpartition(".")
    sys.path.insert(0, env.get("LAMBDA_TASK_ROOT", "."))
    try:
        module = importlib.import_module(module_name)
    except SyntaxError as error:
        raise InitError(error_payload(error, "Runtime.UserCodeSyntaxError"))
    except Exception as error:
        raise InitError(error_payload(error, "Runtime.ImportModuleError"))
    handler = getattr(module, function_name, None)
    if not callable(handler):
        raise InitError({"errorType": "Runtime.HandlerNotFound", "errorMessage": "Handler '%s' missing on module '%s'" % (function_name, module_name), "stackTrace": []})
    return handler


class InitError(Exception):
    def __init__(self, payload):
        super().__init__(payload["errorMessage"])
        self.payload = payload


def main():
    limit_memory()
    try:
        handler = load_handler()
    except InitError as error:
        call("POST", "/init/error", json.dumps(error.payload), {"Lambda-Runtime-Function-Error-Type": error.payload["errorType"]})
        sys.exit(1)
    while True:
        _, headers, text = call("GET", "/invocation/next")
        request_id = headers.get("Lambda-Runtime-Aws-Request-Id", "")
        os.environ["_X_AMZN_TRACE_ID"] = headers.get("Lambda-Runtime-Trace-Id", "")
        context = LambdaContext(request_id, int(headers.get("Lambda-Runtime-Deadline-Ms", "0")), headers.get("Lambda-Runtime-Invoked-Function-Arn", ""))
        try:
            result = handler(json.loads(text), context)
            path, body, extra = "/invocation/%s/response" % request_id, json.dumps(result), {}
        except Exception as error:
            payload = error_payload(error)
            path, body, extra = "/invocation/%s/error" % request_id, json.dumps(payload), {"Lambda-Runtime-Function-Error-Type": payload["errorType"]}
        end_of_output(request_id)
        call("POST", path, body, extra)


main()
