/**
 * What SQS allows in a MessageGroupId or MessageDeduplicationId: 1–128 characters, each a letter,
 * a digit or ASCII punctuation. AWS: SendMessage API reference (MessageGroupId).
 */
export const FIFO_ID = /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]{1,128}$/;

/** The FIFO twin of a queue the playground provisions: SQS requires the `.fifo` suffix. */
export const fifoQueueName = (name: string): string => `${name}.fifo`;
