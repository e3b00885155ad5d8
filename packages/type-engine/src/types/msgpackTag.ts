/** The msgpack tag of `Scalar.binary` (Python's `MESSAGEPACK`). */
export const MSGPACK_TAG = "msgpack";
