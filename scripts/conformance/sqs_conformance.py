"""
A pytest plugin that runs LocalStack's AWS-validated SQS tests (tests/aws/services/sqs/test_sqs.py
in a local copy of github.com/localstack/localstack) against our SQS engine.

- The tests take their real-AWS branches (is_aws_cloud() is True); tests marked LocalStack-only,
  in-process or needing Lambda are skipped.
- Nothing is installed: boto3, pytest and the LocalStack source tree on PYTHONPATH are used as
  they are; only modules that cannot be imported here (they need packages this machine lacks, or
  a newer Python) are replaced by the few names the test file takes from them.
- `snapshot.match` is our own: it compares with the AWS-recorded snapshot, treating LocalStack's
  placeholders (<uuid:1>, <receipt-handle:1>, timestamp, …) as "any value", and records the result
  in $CONFORMANCE_RESULTS (JSON lines) beside each test's own outcome. run.sh sums them up.

Environment: SQS_ENDPOINT (the engine), LOCALSTACK_DIR, CONFORMANCE_RESULTS.
"""

import base64
import json
import os
import re
import sys
import time
import types
import uuid

import boto3
import botocore.auth
import botocore.config
import pytest

ENDPOINT = os.environ.get("SQS_ENDPOINT", "http://localhost:19566")
LOCALSTACK_DIR = os.environ["LOCALSTACK_DIR"]
RESULTS = os.environ.get("CONFORMANCE_RESULTS", "/tmp/sqs-conformance.jsonl")
ACCOUNT_ID, REGION = "000000000000", "us-east-1"
os.environ["TEST_TARGET"] = "AWS_CLOUD"


def _module(name, **names):
    module = types.ModuleType(name)
    module.__dict__.update(names)
    sys.modules[name] = module
    return module


def _short_uid():
    return str(uuid.uuid4())[:8]


def _poll_condition(condition, timeout=None, interval=0.5):
    deadline = time.time() + (timeout or 10)
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False


def _retry(function, retries=3, sleep=1.0, sleep_before=0, **kwargs):
    time.sleep(sleep_before)
    for attempt in range(retries + 1):
        try:
            return function(**kwargs)
        except Exception:
            if attempt == retries:
                raise
            time.sleep(sleep)


# Modules the test file imports that need what this machine lacks (rolo, dns, cachetools, Python 3.14).
class _Names(type):
    def __getattr__(cls, name):
        return name


class _Runtime(metaclass=_Names):
    """Lambda runtimes by name (the Lambda tests that use them are skipped)."""


_module("localstack.version", __version__="0.0.0")
_module("localstack.aws.api.lambda_", Runtime=_Runtime)
from localstack.utils.strings import short_uid_from_seed  # noqa: E402  (imports fine once the version exists)
_module("localstack.services.sqs.constants", DEFAULT_MAXIMUM_MESSAGE_SIZE=1048576, SQS_UUID_STRING_SEED="123e4567-e89b-12d3-a456-426614174000")
_module("localstack.services.sqs.models", sqs_stores={})
_module("localstack.services.sqs.provider", MAX_NUMBER_OF_MESSAGES=10)
def _encode_move_task_handle(task_id, source_arn):
    return base64.b64encode(f'{{"taskId":"{task_id}","sourceArn":"{source_arn}"}}'.encode()).decode()


def _decode_move_task_handle(handle):
    doc = json.loads(base64.b64decode(handle))
    return doc["taskId"], doc["sourceArn"]


_module(
    "localstack.services.sqs.utils",
    parse_queue_url=lambda url: (url.rstrip("/").split("/")[-2], REGION, url.rstrip("/").split("/")[-1]),
    encode_move_task_handle=_encode_move_task_handle,
    decode_move_task_handle=_decode_move_task_handle,
)
_module("localstack.testing.aws.util", is_aws_cloud=lambda: True)
_module("localstack.utils.aws.arns", sqs_queue_arn=lambda name, account_id, region_name: f"arn:aws:sqs:{region_name}:{account_id}:{name}", get_partition=lambda region=None: "aws")
_module("localstack.utils.aws.request_context", mock_aws_request_headers=lambda *a, **k: {})
_module("localstack.utils.common", poll_condition=_poll_condition, retry=_retry, short_uid=_short_uid, short_uid_from_seed=short_uid_from_seed, to_str=lambda s: s.decode() if isinstance(s, bytes) else s)
_module("tests.aws.services.lambda_.test_lambda", TEST_LAMBDA_PYTHON="")
_module("localstack_snapshot")
_module("localstack_snapshot.snapshots")
_module("localstack_snapshot.snapshots.transformer", GenericTransformer=lambda fn: fn)

from localstack.utils.aws.client import SigningHttpClient  # noqa: E402  (after the stubs it needs)


class Clients:
    """`aws_client.sqs`, `aws_client.sqs_query`: boto3 clients for the engine (query uses LocalStack's legacy model)."""

    def __init__(self, region=REGION, key="test", secret="test", endpoint_url=ENDPOINT, config=None):
        self._session = boto3.session.Session(aws_access_key_id=key, aws_secret_access_key=secret, region_name=region)
        self._session._session.get_component("data_loader").search_paths.insert(0, f"{LOCALSTACK_DIR}/localstack-core/localstack/aws/data")
        self._endpoint, self._config, self._cache = endpoint_url, config, {}

    def __getattr__(self, service):
        if service.startswith("_"):
            raise AttributeError(service)
        if service not in self._cache:
            config = botocore.config.Config(retries={"max_attempts": 1}).merge(self._config or botocore.config.Config())
            self._cache[service] = self._session.client(service.replace("_", "-"), endpoint_url=self._endpoint, config=config)
        return self._cache[service]


@pytest.fixture(scope="session")
def aws_client():
    return Clients()


@pytest.fixture(scope="session")
def aws_client_factory():
    return lambda region_name=REGION, aws_access_key_id="test", aws_secret_access_key="test", endpoint_url=ENDPOINT, config=None, **_: Clients(
        region_name, aws_access_key_id, aws_secret_access_key, endpoint_url or ENDPOINT, config
    )


@pytest.fixture(scope="session")
def secondary_aws_client():
    return Clients(key="secondary", secret="secondary")


@pytest.fixture(scope="session")
def account_id():
    return ACCOUNT_ID


@pytest.fixture(scope="session")
def secondary_account_id():
    return "000000000002"


@pytest.fixture(scope="session")
def region_name():
    return REGION


@pytest.fixture
def cleanups():
    functions = []
    yield functions
    for function in reversed(functions):
        try:
            function()
        except Exception:
            pass


@pytest.fixture
def sqs_create_queue(aws_client):
    urls = []

    def factory(**kwargs):
        kwargs.setdefault("QueueName", f"test-queue-{_short_uid()}")
        url = aws_client.sqs.create_queue(**kwargs)["QueueUrl"]
        urls.append(url)
        return url

    yield factory
    for url in urls:
        try:
            aws_client.sqs.delete_queue(QueueUrl=url)
        except Exception:
            pass


@pytest.fixture
def sqs_queue(sqs_create_queue):
    return sqs_create_queue()


@pytest.fixture
def sqs_get_queue_arn(aws_client):
    return lambda url: aws_client.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


@pytest.fixture
def sqs_queue_exists(aws_client):
    def exists(url):
        try:
            return aws_client.sqs.get_queue_url(QueueName=url.split("/")[-1]).get("QueueUrl") == url
        except aws_client.sqs.exceptions.ClientError as error:
            if "NonExistentQueue" in error.response["Error"]["Code"]:
                return False
            raise

    return exists


@pytest.fixture
def sqs_collect_messages(aws_client):
    def collect(queue_url, expected, timeout, delete=True, attribute_names=None, message_attribute_names=None, max_number_of_messages=1, wait_time_seconds=5, sqs_client=None):
        client, collected = sqs_client or aws_client.sqs, []

        def receive():
            response = client.receive_message(
                QueueUrl=queue_url, WaitTimeSeconds=wait_time_seconds, MaxNumberOfMessages=max_number_of_messages,
                AttributeNames=attribute_names or [], MessageAttributeNames=message_attribute_names or [],
            )
            for message in response.get("Messages", []):
                collected.append(message)
                if delete:
                    client.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
            return len(collected) >= expected

        if not _poll_condition(receive, timeout=timeout):
            raise TimeoutError(f"gave up waiting for messages (expected={expected}, actual={len(collected)})")
        return collected

    return collect


@pytest.fixture(scope="class")
def aws_http_client_factory():
    def factory(service, region=None, signer_factory=botocore.auth.SigV4QueryAuth, endpoint_url=None, aws_access_key_id=None, aws_secret_access_key=None):
        credentials = botocore.credentials.Credentials(aws_access_key_id or "test", aws_secret_access_key or "test")
        if signer_factory is botocore.auth.SigV4QueryAuth:
            signer = signer_factory(credentials, service, region or REGION, expires=60)
        else:
            signer = signer_factory(credentials, service, region or REGION)
        return SigningHttpClient(signer, endpoint_url=endpoint_url or ENDPOINT)

    return factory


@pytest.fixture
def create_lambda_function():
    pytest.skip("needs Lambda")


from snapshot_match import Snapshot, snapshot_outcome  # noqa: E402


@pytest.fixture
def snapshot(request):
    snap = Snapshot(request.node, LOCALSTACK_DIR)
    yield snap
    outcome = snapshot_outcome(snap)
    if outcome is not None:
        with open(RESULTS, "a") as out:
            out.write(json.dumps({"test": request.node.nodeid, "snapshot": outcome}) + "\n")


SKIP_MARKERS = {"aws_only_localstack", "requires_in_process", "aws_needs_fixing", "requires_in_container", "requires_docker"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        marks = {mark.name for mark in item.iter_markers()}
        if marks & SKIP_MARKERS:
            item.add_marker(pytest.mark.skip(reason=f"LocalStack-only ({', '.join(sorted(marks & SKIP_MARKERS))})"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        with open(RESULTS, "a") as out:
            out.write(json.dumps({"test": item.nodeid, "outcome": report.outcome, "error": (str(report.longrepr)[-600:] if report.failed else None)}) + "\n")

