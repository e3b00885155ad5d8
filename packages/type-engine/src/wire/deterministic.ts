/**
 * Deterministic protobuf bytes, as Python's `SerializeToString(deterministic=True)` writes them:
 * the same as `toBinary`, except that every map (protobuf maps and `google.protobuf.Struct`
 * fields) is written with its entries sorted by key (UTF-8 bytes).
 *
 * protobuf-es writes a map in the order `Object.keys` gives, which is insertion order except
 * that integer-like keys ("2", "10") come first in numeric order — so no insertion order can
 * sort `{"10", "2", "a"}` as strings. Instead, a message whose subtree holds a map out of order
 * is written field by field in field-number order, each field by the library itself
 * (`toBinary` of a message holding only that field); a map is written one entry at a time (a map
 * field on the wire is a repeated entry message, so single-entry maps concatenated in key order
 * are the sorted map), and a nested message that needs the same treatment is written first and
 * handed to the library as that message's unknown fields (its bytes, parsed by the library)
 * — or, for a `Struct` field, framed by the library's `BinaryWriter`. Unknown fields come last,
 * as Python writes them. A message without such a map is just `toBinary` (the fast path).
 */
import type { DescField, DescMessage, JsonObject, Message, MessageShape } from "@bufbuild/protobuf";
import { ScalarType, create, fromBinary, fromJson, toBinary } from "@bufbuild/protobuf";
import { EmptySchema, StructSchema } from "@bufbuild/protobuf/wkt";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";

import { compareUtf8, isSortedUtf8 } from "../internal/compareUtf8.js";
import { concatBytes } from "../internal/concatBytes.js";

type AnyMessage = Message & Record<string, unknown>;

/** `google.protobuf.Struct` is a `JsonObject` in a field, except inside `google.protobuf.Value`. */
function isJsonStruct(field: DescField): boolean {
  return (
    field.message?.typeName === "google.protobuf.Struct" &&
    field.parent.typeName !== "google.protobuf.Value"
  );
}

function hasDirectMap(desc: DescMessage): boolean {
  return desc.fields.some((f) => f.fieldKind === "map" || isJsonStruct(f));
}

/** Whether a map can be found in a message of `desc` or in any message below it. */
function reachesMap(desc: DescMessage, seen = new Set<DescMessage>()): boolean {
  if (seen.has(desc)) return false; // every type on a cycle is examined where it is first met
  seen.add(desc);
  if (hasDirectMap(desc)) return true;
  return desc.fields.some((f) => f.message !== undefined && reachesMap(f.message, seen));
}

/** Per message type: the fields through which a map can be reached (none: never out of order). */
const mapPaths = new WeakMap<DescMessage, readonly DescField[]>();

function fieldsReachingMaps(desc: DescMessage): readonly DescField[] {
  let fields = mapPaths.get(desc);
  if (fields === undefined) {
    fields = desc.fields.filter(
      (f) =>
        f.fieldKind === "map" ||
        isJsonStruct(f) ||
        (f.message !== undefined && reachesMap(f.message)),
    );
    mapPaths.set(desc, fields);
  }
  return fields;
}

/** Map keys in the order deterministic serialization writes them: by key, of the key's type. */
function mapKeyOrder(field: DescField & { fieldKind: "map" }): (a: string, b: string) => number {
  if (field.mapKey === ScalarType.STRING) return compareUtf8;
  if (field.mapKey === ScalarType.BOOL) return (a, b) => (a === b ? 0 : a === "false" ? -1 : 1);
  return (a, b) => {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  };
}

function inOrder(keys: readonly string[], cmp: (a: string, b: string) => number): boolean {
  for (let i = 1; i < keys.length; i++) if (cmp(keys[i - 1]!, keys[i]!) >= 0) return false;
  return true;
}

function fieldValue(message: AnyMessage, field: DescField): unknown {
  if (field.oneof !== undefined) {
    const oneof = message[field.oneof.localName] as { case?: string; value?: unknown };
    return oneof.case === field.localName ? oneof.value : undefined;
  }
  return message[field.localName];
}

function jsonOutOfOrder(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(jsonOutOfOrder);
  if (value === null || typeof value !== "object") return false;
  const keys = Object.keys(value);
  if (!isSortedUtf8(keys)) return true;
  return keys.some((k) => jsonOutOfOrder((value as Record<string, unknown>)[k]));
}

/** Whether writing `message` with `toBinary` would put some map's entries out of key order. */
function outOfOrder(desc: DescMessage, message: AnyMessage): boolean {
  for (const field of fieldsReachingMaps(desc)) {
    const value = fieldValue(message, field);
    if (value === undefined) continue;
    if (field.fieldKind === "map") {
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record);
      if (!inOrder(keys, mapKeyOrder(field))) return true;
      if (field.mapKind === "message") {
        for (const k of keys) {
          const v = record[k];
          if (
            isJsonStruct(field) ? jsonOutOfOrder(v) : outOfOrder(field.message, v as AnyMessage)
          ) {
            return true;
          }
        }
      }
    } else if (isJsonStruct(field)) {
      if (
        field.fieldKind === "list"
          ? (value as unknown[]).some(jsonOutOfOrder)
          : jsonOutOfOrder(value)
      ) {
        return true;
      }
    } else if (field.fieldKind === "list") {
      for (const item of value as AnyMessage[]) if (outOfOrder(field.message!, item)) return true;
    } else if (field.message !== undefined && outOfOrder(field.message, value as AnyMessage)) {
      return true;
    }
  }
  return false;
}

/** A message of `desc` holding only `field` = `value` (what `toBinary` writes for that field alone). */
function onlyField(desc: DescMessage, field: DescField, value: unknown): AnyMessage {
  const m = create(desc) as AnyMessage;
  if (field.oneof !== undefined) m[field.oneof.localName] = { case: field.localName, value };
  else m[field.localName] = value;
  return m;
}

/** A message of `desc` whose bytes are `bytes` exactly: the bytes kept as its unknown fields. */
function opaque(desc: DescMessage, bytes: Uint8Array): AnyMessage {
  const m = create(desc) as AnyMessage;
  const unknown = fromBinary(EmptySchema, bytes).$unknown;
  if (unknown !== undefined) m.$unknown = unknown;
  return m;
}

function framed(fieldNo: number, bytes: Uint8Array): Uint8Array {
  return new BinaryWriter().tag(fieldNo, WireType.LengthDelimited).bytes(bytes).finish();
}

function structBytes(json: JsonObject): Uint8Array {
  return deterministicBytes(StructSchema, fromJson(StructSchema, json) as unknown as AnyMessage);
}

function deterministicBytes(desc: DescMessage, message: AnyMessage): Uint8Array {
  if (!outOfOrder(desc, message)) return toBinary(desc, message);
  const parts: Uint8Array[] = [];
  const fields = [...desc.fields].sort((x, y) => x.number - y.number);
  for (const field of fields) {
    const value = fieldValue(message, field);
    if (value === undefined) continue;
    if (field.fieldKind === "map") {
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record).sort(mapKeyOrder(field))) {
        let v = record[key];
        if (isJsonStruct(field)) {
          // A map of Structs: no flyteidl2 message has one; refuse rather than guess.
          if (jsonOutOfOrder(v)) throw new Error(`cannot write ${String(field)} deterministically`);
        } else if (field.mapKind === "message" && outOfOrder(field.message, v as AnyMessage)) {
          v = opaque(field.message, deterministicBytes(field.message, v as AnyMessage));
        }
        parts.push(toBinary(desc, onlyField(desc, field, { [key]: v })));
      }
    } else if (isJsonStruct(field)) {
      const items = field.fieldKind === "list" ? (value as JsonObject[]) : [value as JsonObject];
      for (const item of items) parts.push(framed(field.number, structBytes(item)));
    } else if (field.fieldKind === "list" && field.listKind === "message") {
      for (const item of value as AnyMessage[]) {
        parts.push(
          outOfOrder(field.message, item)
            ? framed(field.number, deterministicBytes(field.message, item))
            : toBinary(desc, onlyField(desc, field, [item])),
        );
      }
    } else if (field.fieldKind === "message" && outOfOrder(field.message, value as AnyMessage)) {
      parts.push(framed(field.number, deterministicBytes(field.message, value as AnyMessage)));
    } else {
      // Scalars, enums, scalar lists and in-order messages (wrapper types included): the library.
      parts.push(toBinary(desc, onlyField(desc, field, value)));
    }
  }
  if (message.$unknown !== undefined && message.$unknown.length > 0) {
    const holder = create(desc) as AnyMessage;
    holder.$unknown = message.$unknown;
    parts.push(toBinary(desc, holder));
  }
  return concatBytes(parts);
}

/**
 * `message` as Python's `SerializeToString(deterministic=True)` writes it: `toBinary` with every
 * map's entries (protobuf maps and `google.protobuf.Struct` fields, at any depth) sorted by key.
 */
export function toBinaryDeterministic<Desc extends DescMessage>(
  schema: Desc,
  message: MessageShape<Desc>,
): Uint8Array {
  return deterministicBytes(schema, message as unknown as AnyMessage);
}
