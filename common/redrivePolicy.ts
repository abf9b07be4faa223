/**
 * The maxReceiveCount of a queue's RedrivePolicy attribute (a JSON string, its count a number or a
 * numeric string: the aws CLI sends "10"), or null when the queue has no usable redrive policy.
 */
export function maxReceiveCountOf(redrivePolicy: string | undefined): number | null {
  if (!redrivePolicy) return null;
  try {
    const count = Number((JSON.parse(redrivePolicy) as { maxReceiveCount?: unknown } | null)?.maxReceiveCount);
    return Number.isInteger(count) && count > 0 ? count : null;
  } catch {
    return null;
  }
}
