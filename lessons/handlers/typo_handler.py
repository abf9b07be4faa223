import json

from playground import tasks


def lambda_handler(event, context):
    """Process each SQS record: mark its task completed in the database (step 5)."""
    batch_item_failures = []
    for record in event["records"]:
        owner = context.aws_request_id + "/" + record["messageId"]
        try:
            message = json.loads(record["body"])
            task_id = message["task_id"]
            print("processing task %s: %s" % (task_id, message["title"]))
            claim = tasks.claim(task_id, owner, context.get_remaining_time_in_millis())
            if claim["outcome"] == "done":
                continue  # already completed: SQS delivered this message again
            if claim["outcome"] != "claimed":
                raise Exception("task %s is %s" % (task_id, claim["outcome"]))
            tasks.complete(task_id, owner)
        except Exception as error:
            print("record %s failed: %s" % (record["messageId"], error))
            batch_item_failures.append({"itemIdentifier": record["messageId"]})
    # Only the failed records come back (the trigger has ReportBatchItemFailures on).
    return {"batchItemFailures": batch_item_failures}
