import type { Bytes } from "../Storage.js";
import { InvalidArgumentError } from "../errors.js";

const encoder = new TextEncoder();

/** The bytes of a `put` body (`Uint8Array`, or a string written as UTF-8); anything else is refused. */
export function bodyBytes(body: unknown, uri: string): Bytes {
  if (body instanceof Uint8Array) return body;
  if (typeof body === "string") return encoder.encode(body);
  throw new InvalidArgumentError(
    uri,
    `the body must be a Uint8Array or a string, got ${describe(body)}`,
  );
}

/** The chunks of a `putStream` body, checked one by one as they arrive. */
export async function* bodyChunks(body: unknown, uri: string): AsyncIterable<Bytes> {
  if (
    body === null ||
    typeof body !== "object" ||
    !(Symbol.asyncIterator in body || Symbol.iterator in body)
  ) {
    throw new InvalidArgumentError(
      uri,
      `the stream body must be an AsyncIterable<Uint8Array>, got ${describe(body)}`,
    );
  }
  for await (const chunk of body as AsyncIterable<unknown>) {
    if (chunk instanceof Uint8Array) yield chunk;
    else if (typeof chunk === "string") yield encoder.encode(chunk);
    else
      throw new InvalidArgumentError(
        uri,
        `a stream chunk must be a Uint8Array, got ${describe(chunk)}`,
      );
  }
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return (value as object).constructor?.name ?? "object";
  return typeof value;
}
