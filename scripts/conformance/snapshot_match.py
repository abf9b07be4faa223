"""
Our stand-in for LocalStack's snapshot fixture: `snapshot.match(key, value)` is compared with the
AWS-recorded value in test_sqs.snapshot.json. LocalStack's transformers replaced volatile values in
the recording by placeholders (<uuid:1>, <receipt-handle:2>, timestamp, 111111111111, …); here each
placeholder matches any value, so ids and timestamps are aside and everything else must be equal.
"""

import json
import re

PLACEHOLDER = re.compile(r"<[^<>\s]+>")
_recordings = {}


def _recorded(localstack_dir, nodeid):
    path = nodeid.split("::")[0].replace(".py", ".snapshot.json")
    if path not in _recordings:
        try:
            with open(f"{localstack_dir}/{path}") as file:
                _recordings[path] = json.load(file)
        except FileNotFoundError:
            _recordings[path] = {}
    return _recordings[path].get(nodeid, {}).get("recorded-content")


class _Anything:
    """`snapshot.transform.<anything>(...)` and `add_transformer` are accepted and do nothing."""

    def __getattr__(self, name):
        return lambda *args, **kwargs: None


class Snapshot:
    def __init__(self, node, localstack_dir):
        self.recorded = _recorded(localstack_dir, node.nodeid)
        self.transform = _Anything()
        self.matches = []
        self.skip_paths = []
        self.skip_all = False
        for mark in node.iter_markers("skip_snapshot_verify"):
            paths = mark.kwargs.get("paths")
            if paths:
                self.skip_paths.extend(paths)
            else:
                self.skip_all = True

    def add_transformer(self, *args, **kwargs):
        pass

    def add_transformers_list(self, *args, **kwargs):
        pass

    def match(self, key, value):
        self.matches.append((key, json.loads(json.dumps(value, default=str))))
        return True


def _skipped(path, skip_paths):
    for pattern in skip_paths:
        parts = [p for p in re.split(r"\.+", pattern.replace("[*]", "").lstrip("$")) if p]
        if parts and path[-len(parts):] == parts:
            return True
    return False


QUEUE_URL = re.compile(r"^https?://[^/]+(/(?:\d{12}|<[^>]+>)/.+)$")


def _scalar_matches(recorded, actual):
    if recorded == actual:
        return True
    # A queue URL's host is where the engine runs; the account and name must still agree.
    if isinstance(recorded, str) and isinstance(actual, str) and QUEUE_URL.match(recorded) and QUEUE_URL.match(actual):
        recorded, actual = QUEUE_URL.match(recorded).group(1), QUEUE_URL.match(actual).group(1)
    if isinstance(recorded, str):
        if recorded == "timestamp":
            return True
        text = actual if isinstance(actual, str) else json.dumps(actual)
        pieces = PLACEHOLDER.split(recorded)
        pattern = "(.+?)".join(re.escape(piece).replace("111111111111", r"\d{12}") for piece in pieces)
        return re.fullmatch(pattern, text, re.S) is not None
    return False


def _diff(recorded, actual, path, skip_paths, out):
    if _skipped(path, skip_paths):
        return
    # Request ids, retry counts and headers are per request; LocalStack's transformers drop them too.
    if len(path) >= 2 and path[-2] == "ResponseMetadata" and path[-1] != "HTTPStatusCode":
        return
    # LocalStack's snapshots store a JSON message body parsed; parse ours to compare alike.
    if isinstance(recorded, (dict, list)) and isinstance(actual, str):
        try:
            actual = json.loads(actual)
        except ValueError:
            pass
    if isinstance(recorded, dict) and isinstance(actual, dict):
        for key in set(recorded) | set(actual):
            if key in recorded and key in actual:
                _diff(recorded[key], actual[key], path + [key], skip_paths, out)
            elif not _skipped(path + [key], skip_paths) and not (path[-1:] == ["ResponseMetadata"] and key != "HTTPStatusCode"):
                out.append(f"{'.'.join(path + [key])}: {'missing' if key in recorded else 'unexpected'}")
    elif isinstance(recorded, list) and isinstance(actual, list):
        if len(recorded) != len(actual):
            out.append(f"{'.'.join(path)}: {len(actual)} items, AWS {len(recorded)}")
            return
        for i, (r, a) in enumerate(zip(recorded, actual)):
            _diff(r, a, path + [str(i)], skip_paths, out)
    elif not _scalar_matches(recorded, actual):
        out.append(f"{'.'.join(path)}: {json.dumps(actual)[:120]} != AWS {json.dumps(recorded)[:120]}")


def snapshot_outcome(snapshot):
    """'match', 'mismatch: …', or None when the test has nothing to compare."""
    if not snapshot.matches or snapshot.recorded is None or snapshot.skip_all:
        return None
    diffs = []
    for key, value in snapshot.matches:
        if key not in snapshot.recorded:
            diffs.append(f"{key}: not recorded")
            continue
        _diff(snapshot.recorded[key], value, [key], snapshot.skip_paths, diffs)
    return "match" if not diffs else "mismatch: " + "; ".join(diffs)[:800]
