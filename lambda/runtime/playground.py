# The learner's way to the task database from a Python function, as a deployed function reaches a
# service: HTTP to the playground's internal task routes, with the token the playground put in the
# function's environment. The same three calls as lambda/playgroundLink.ts (Node.js):
#   tasks.claim(task_id, owner, lease_ms) -> {"outcome": "claimed"|"done"|"busy"|"failed"|"missing", "task": {...}}
#   tasks.complete(task_id, owner) -> True when this owner still held the claim
#   tasks.release(task_id, owner, reason) -> None: the task waits for its message's next delivery
# and the playground's payment service, a side effect outside the database (failure lab 1):
#   charge(task_id) -> that order's charges so far; every call charges again (one `charge.made`
#   event), however often the same order was charged before; each takes the chaos panel's
#   delay per record (the payment service is that slow)
# A refused or failed call raises PlaygroundLinkError.
import json
import os
import urllib.error
import urllib.request


class PlaygroundLinkError(Exception):
    pass


class Tasks:
    def __init__(self, base_url, token):
        self._base = base_url.rstrip("/") + "/internal"
        self._token = token

    def claim(self, task_id, owner, lease_ms):
        return self._call("/store/claim", {"taskId": task_id, "invocationId": owner, "leaseMs": int(lease_ms)})

    def complete(self, task_id, owner):
        return self._call("/store/complete", {"taskId": task_id, "invocationId": owner})["completed"]

    def release(self, task_id, owner, reason):
        self._call("/store/release", {"taskId": task_id, "invocationId": owner, "reason": str(reason)[:2000]})

    def charge(self, task_id):
        return self._call("/payments/charge", {"taskId": task_id})["charges"]

    def _call(self, path, body):
        request = urllib.request.Request(
            self._base + path,
            data=json.dumps(body).encode("utf-8"),
            headers={"Authorization": "Bearer " + self._token, "Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return json.loads(response.read().decode("utf-8") or "{}")
        except urllib.error.HTTPError as error:
            raise PlaygroundLinkError("POST %s answered %d: %s" % (path, error.code, error.read().decode("utf-8")[:300]))
        except urllib.error.URLError as error:
            raise PlaygroundLinkError("the playground at %s could not be reached: %s" % (self._base, error.reason))


tasks = Tasks(os.environ.get("PLAYGROUND_INTERNAL_URL", ""), os.environ.get("PLAYGROUND_INTERNAL_TOKEN", ""))


def charge(task_id):
    """Charges the task's order: every call is one more charge, as a real payment provider's would be."""
    return tasks.charge(task_id)
