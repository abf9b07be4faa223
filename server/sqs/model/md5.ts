import { createHash, hash } from "node:crypto";

/** A message attribute as the wire carries it; `BinaryValue` is base64 (both protocols encode it so). */
export interface AttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}

export type Attributes = Record<string, AttributeValue>;

/** Hex MD5 of a UTF-8 string: SQS's `MD5OfMessageBody`. Computed once, when the message is sent. */
export function md5OfBody(body: string): string {
  // The one-shot hash() costs a third of createHash().update().digest() for a short body.
  return hash("md5", body, "hex");
}

/**
 * AWS's MD5 of message attributes (also used for system attributes): for each attribute, sorted by
 * name, the name, the data type, a transport byte (1 string/number, 2 binary) and the value, each
 * length-prefixed with 4 big-endian bytes. Returns undefined for no attributes, as SQS omits the field.
 * Source: SQS developer guide, "Calculating the MD5 message digest for message attributes".
 */
export function md5OfAttributes(attributes: Attributes | undefined): string | undefined {
  const names = Object.keys(attributes ?? {}).sort();
  if (!attributes || names.length === 0) return undefined;
  const hash = createHash("md5");
  const field = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length).update(bytes);
  };
  for (const name of names) {
    const value = attributes[name]!;
    field(Buffer.from(name, "utf8"));
    field(Buffer.from(value.DataType, "utf8"));
    if (value.BinaryValue !== undefined && value.DataType.startsWith("Binary")) {
      hash.update(Buffer.from([2]));
      field(Buffer.from(value.BinaryValue, "base64"));
    } else {
      hash.update(Buffer.from([1]));
      field(Buffer.from(value.StringValue ?? "", "utf8"));
    }
  }
  return hash.digest("hex");
}
