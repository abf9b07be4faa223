import type { Action } from "./context.js";
import { addPermission } from "./addPermission.js";
import { removePermission } from "./removePermission.js";
import { cancelMessageMoveTask } from "./cancelMessageMoveTask.js";
import { changeMessageVisibility } from "./changeMessageVisibility.js";
import { changeMessageVisibilityBatch } from "./changeMessageVisibilityBatch.js";
import { createQueue } from "./createQueue.js";
import { deleteMessage } from "./deleteMessage.js";
import { deleteMessageBatch } from "./deleteMessageBatch.js";
import { deleteQueue } from "./deleteQueue.js";
import { getQueueAttributes } from "./getQueueAttributes.js";
import { getQueueUrl } from "./getQueueUrl.js";
import { listDeadLetterSourceQueues } from "./listDeadLetterSourceQueues.js";
import { listMessageMoveTasks } from "./listMessageMoveTasks.js";
import { listQueues } from "./listQueues.js";
import { listQueueTags } from "./listQueueTags.js";
import { purgeQueue } from "./purgeQueue.js";
import { receiveMessage } from "./receiveMessage.js";
import { sendMessage } from "./sendMessage.js";
import { sendMessageBatch } from "./sendMessageBatch.js";
import { setQueueAttributes } from "./setQueueAttributes.js";
import { startMessageMoveTask } from "./startMessageMoveTask.js";
import { tagQueue } from "./tagQueue.js";
import { untagQueue } from "./untagQueue.js";

/** Every SQS action the engine answers, by its API name (`X-Amz-Target: AmazonSQS.<name>`, query `Action=<name>`). */
export const ACTIONS: Readonly<Record<string, Action>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, Action>, {
    AddPermission: addPermission,
    CancelMessageMoveTask: cancelMessageMoveTask,
    ChangeMessageVisibility: changeMessageVisibility,
    ChangeMessageVisibilityBatch: changeMessageVisibilityBatch,
    CreateQueue: createQueue,
    DeleteMessage: deleteMessage,
    DeleteMessageBatch: deleteMessageBatch,
    DeleteQueue: deleteQueue,
    GetQueueAttributes: getQueueAttributes,
    GetQueueUrl: getQueueUrl,
    ListDeadLetterSourceQueues: listDeadLetterSourceQueues,
    ListMessageMoveTasks: listMessageMoveTasks,
    ListQueues: listQueues,
    ListQueueTags: listQueueTags,
    PurgeQueue: purgeQueue,
    ReceiveMessage: receiveMessage,
    RemovePermission: removePermission,
    SendMessage: sendMessage,
    SendMessageBatch: sendMessageBatch,
    SetQueueAttributes: setQueueAttributes,
    StartMessageMoveTask: startMessageMoveTask,
    TagQueue: tagQueue,
    UntagQueue: untagQueue,
  }),
);
