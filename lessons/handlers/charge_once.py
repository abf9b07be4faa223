import json

from playground import charge, tasks


def lambda_handler(event, context):
    """Charge each order once, however often its message is delivered: claim it, then charge."""
    batch_item_failures = []
    for record in event["Records"]:
        task_id = json.loads(record["body"])["task_id"]
        owner = context.aws_request_id + "/" + record["messageId"]
        # A conditional write: pending -> processing, owned by this invocation, only if nobody holds it.
        claim = tasks.claim(task_id, owner, context.get_remaining_time_in_millis())
        if claim["outcome"] == "done":
            print("order %s was charged already: skipped" % task_id)
            continue
        if claim["outcome"] != "claimed":
            # Another invocation is charging it: let this message come back, to find the order done.
            print("order %s is %s: not charged here" % (task_id, claim["outcome"]))
            batch_item_failures.append({"itemIdentifier": record["messageId"]})
            continue
        charge(task_id)
        tasks.complete(task_id, owner)
    return {"batchItemFailures": batch_item_failures}
