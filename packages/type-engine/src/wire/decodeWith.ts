import { WireDecodeError } from "../errors.js";

/** Runs a protobuf read, turning the library's error into a {@link WireDecodeError}. */
export function decodeWith<T>(
  messageType: string,
  bytes: Uint8Array,
  read: (b: Uint8Array) => T,
): T {
  if (!(bytes instanceof Uint8Array)) {
    throw new WireDecodeError(messageType, `expected bytes (a Uint8Array), got ${typeof bytes}`);
  }
  try {
    return read(bytes);
  } catch (e) {
    throw new WireDecodeError(messageType, (e as Error).message, { cause: e });
  }
}
