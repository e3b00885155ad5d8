/**
 * Values through literals and back (types preserved), the untyped rule, decoding by shape, the
 * wire files' edges (kickoff key, context, bad bytes), LiteralTypes as Python declares them.
 */
import { create, toBinary } from "@bufbuild/protobuf";

import type { FlyteType } from "@flyte/type-engine";
import {
  decodeInputs,
  decodeOutputs,
  Duration,
  encodeInputs,
  flyteTypes,
  fromLiteral,
  KICKOFF_TIME_INPUT_ARG,
  literalTypeOf,
  taggedLiteralTypeOf,
  toLiteral,
  TypeMismatchError,
  WireDecodeError,
} from "@flyte/type-engine";
import {
  BlobType_BlobDimensionality,
  ContainerError_Kind,
  ExecutionError_ErrorKind,
  LiteralSchema,
  SimpleType,
} from "@flyte/type-engine/proto";

const rt = (v: unknown, t: FlyteType): any => fromLiteral(toLiteral(v, t, "v"), t);

describe("round trips keep types", () => {
  test("bigint stays bigint beyond 2^53, numbers within; int64 reads bigint always", () => {
    expect(rt(2n ** 62n, flyteTypes.integer)).toBe(2n ** 62n);
    expect(rt(-(2n ** 63n), flyteTypes.integer)).toBe(-(2n ** 63n));
    expect(rt(5n, flyteTypes.integer)).toBe(5);
    expect(rt(5, flyteTypes.int64)).toBe(5n);
    expect(() => toLiteral(2n ** 63n, flyteTypes.integer, "input n")).toThrow(
      /input n: .*does not fit in int64/,
    );
    expect(() => toLiteral(1.5, flyteTypes.integer, "input n")).toThrow(TypeMismatchError);
  });

  test("a float 2.0 is float_value on the wire and 2 back", () => {
    const lit = toLiteral(2, flyteTypes.float, "f");
    expect(
      lit.value.case === "scalar" &&
        lit.value.value.value.case === "primitive" &&
        lit.value.value.value.value.value.case,
    ).toBe("floatValue");
    expect(rt(2, flyteTypes.float)).toBe(2);
    expect(Object.is(rt(-0, flyteTypes.float), -0)).toBe(true);
    expect(rt(NaN, flyteTypes.float)).toBeNaN();
  });

  test("Date stays Date (UTC, ms), before 1970 too; finer nanoseconds are floored", () => {
    for (const d of [
      new Date("2024-02-29T12:34:56.789Z"),
      new Date(-1),
      new Date(0),
      new Date("1900-01-01T00:00:00.001Z"),
    ]) {
      const back = rt(d, flyteTypes.datetime);
      expect(back).toBeInstanceOf(Date);
      expect(back.getTime()).toBe(d.getTime());
    }
    const lit = toLiteral(new Date(1500), flyteTypes.datetime, "d");
    const scalar = lit.value.value as { value: { value: { value: { value: { nanos: number } } } } };
    scalar.value.value.value.value.nanos = 999_999_999;
    expect((fromLiteral(lit) as Date).getTime()).toBe(1999);
  });

  test("durations: Duration, {seconds, nanos} and milliseconds in; Duration out", () => {
    expect(rt(new Duration(90, 500_000), flyteTypes.duration)).toEqual(new Duration(90, 500_000));
    expect(rt({ seconds: -3, nanos: -5 }, flyteTypes.duration)).toEqual(new Duration(-3, -5));
    expect(rt(1500.25, flyteTypes.duration)).toEqual(new Duration(1, 500_250_000));
    expect(new Duration(90, 500_000).toString()).toBe("90.0005s");
    expect(() => toLiteral({ seconds: 1, nanos: -1 }, flyteTypes.duration, "input d")).toThrow(
      /same sign/,
    );
  });

  test("optional, list, map, enum, nested", () => {
    const t = flyteTypes.map(flyteTypes.list(flyteTypes.optional(flyteTypes.integer)));
    const v = { "10": [1, null, 3], "2": [], é: [null], __proto__x: [2n ** 60n] };
    expect(rt(v, t)).toEqual(v);
    expect(rt(undefined, flyteTypes.optional(flyteTypes.string))).toBeNull();
    expect(rt("red", flyteTypes.enum(["red", "blue"]))).toBe("red");
    expect(() => toLiteral("pink", flyteTypes.enum(["red", "blue"]), "input c")).toThrow(
      /expected one of/,
    );
    const withProto = JSON.parse('{"__proto__": 1}') as Record<string, number>;
    const back = rt(withProto, flyteTypes.map(flyteTypes.integer)) as Record<string, number>;
    expect(Object.keys(back)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
  });

  test("errors name the input and the path inside it", () => {
    const t = flyteTypes.list(flyteTypes.map(flyteTypes.integer));
    expect(() => toLiteral([{ a: 1 }, { b: "x" }], t, 'input "rows"')).toThrow(
      'input "rows" at [1].b: expected an integer',
    );
    expect(() =>
      fromLiteral(toLiteral("s", flyteTypes.string, "x"), flyteTypes.integer, "output o0"),
    ).toThrow(/output o0: expected an integer, got stringValue/);
  });
});

describe("the untyped rule and decoding by shape", () => {
  test("an undeclared value is a msgpack binary typed as Python's untyped dict", () => {
    const lit = toLiteral({ a: [1, 2.5, "x", null, true] }, flyteTypes.any, "v");
    expect(lit.value.case === "scalar" && lit.value.value.value.case).toBe("binary");
    expect(literalTypeOf(flyteTypes.any)).toMatchObject({
      type: { case: "simple", value: SimpleType.STRUCT },
      annotation: { annotations: { "cache-key-metadata": { "serialization-format": "msgpack" } } },
    });
    expect(literalTypeOf(flyteTypes.any).metadata).toBeUndefined();
    expect(fromLiteral(lit)).toEqual({ a: [1, 2.5, "x", null, true] });
  });

  test("a generic Struct literal (JSON, from the console) reads as a plain object, typed or not", () => {
    const lit = create(LiteralSchema, {
      value: {
        case: "scalar",
        value: { value: { case: "generic", value: { a: 1, b: [true, "x"] } } },
      },
    });
    expect(fromLiteral(lit)).toEqual({ a: 1, b: [true, "x"] });
    const t = flyteTypes.struct({ type: "object", properties: { a: { type: "integer" } } });
    expect(fromLiteral(lit, t)).toEqual({ a: 1, b: [true, "x"] });
  });

  test("a union literal reads as its value, with or without the declared union", () => {
    const t = flyteTypes.optional(flyteTypes.integer);
    const lit = toLiteral(3, t, "v");
    expect(taggedLiteralTypeOf(flyteTypes.integer).structure?.tag).toBe("int");
    expect(fromLiteral(lit)).toBe(3);
    expect(fromLiteral(lit, t)).toBe(3);
    expect(fromLiteral(lit, flyteTypes.integer)).toBe(3);
    expect(fromLiteral(toLiteral(null, t, "v"), t)).toBeNull();
  });

  test("an offloaded literal is refused with a clear error", () => {
    const lit = create(LiteralSchema, {
      value: { case: "offloadedMetadata", value: { uri: "s3://b/lit" } },
    });
    expect(() => fromLiteral(lit)).toThrow(/offloaded literal \(s3:\/\/b\/lit\) must be fetched/);
  });
});

describe("wire edges", () => {
  test("the kickoff key is kept out of the context but reported; pair order is kept", () => {
    const bytes = encodeInputs(
      [],
      [
        ["b", "1"],
        [KICKOFF_TIME_INPUT_ARG, "when"],
        ["a", "2"],
      ],
    );
    const d = decodeInputs(bytes);
    expect(d.context).toEqual({ b: "1", a: "2" });
    expect(d.kickoffInput).toBe("when");
    expect(d.contextPairs).toEqual([
      ["b", "1"],
      [KICKOFF_TIME_INPUT_ARG, "when"],
      ["a", "2"],
    ]);
    expect(Buffer.from(encodeInputs(d.literals, d.contextPairs))).toEqual(Buffer.from(bytes));
  });

  test("bytes that are not the message throw WireDecodeError naming it", () => {
    expect(() => decodeInputs(new Uint8Array([0x0a, 0x05, 0x01]))).toThrow(WireDecodeError);
    expect(() => decodeOutputs(new Uint8Array([0xff]))).toThrow(
      /cannot decode flyteidl2.task.Outputs/,
    );
    expect(() => decodeInputs("nope" as unknown as Uint8Array)).toThrow(/expected bytes/);
  });

  test("a literal written by protobuf-es itself reads the same", () => {
    const lit = toLiteral([1, 2], flyteTypes.list(flyteTypes.integer), "v");
    expect(toBinary(LiteralSchema, lit).length).toBeGreaterThan(0);
  });
});

test("our enum numbers are the generated enums'", async () => {
  const messages = await import("./helpers/internal.js");
  expect(messages.Simple).toEqual({
    NONE: SimpleType.NONE,
    INTEGER: SimpleType.INTEGER,
    FLOAT: SimpleType.FLOAT,
    STRING: SimpleType.STRING,
    BOOLEAN: SimpleType.BOOLEAN,
    DATETIME: SimpleType.DATETIME,
    DURATION: SimpleType.DURATION,
    BINARY: SimpleType.BINARY,
    ERROR: SimpleType.ERROR,
    STRUCT: SimpleType.STRUCT,
  });
  expect(messages.Dimensionality).toEqual({
    SINGLE: BlobType_BlobDimensionality.SINGLE,
    MULTIPART: BlobType_BlobDimensionality.MULTIPART,
  });
  expect(messages.ContainerErrorKind).toEqual({
    NON_RECOVERABLE: ContainerError_Kind.NON_RECOVERABLE,
    RECOVERABLE: ContainerError_Kind.RECOVERABLE,
  });
  expect(messages.ErrorOrigin).toEqual({
    UNKNOWN: ExecutionError_ErrorKind.UNKNOWN,
    USER: ExecutionError_ErrorKind.USER,
    SYSTEM: ExecutionError_ErrorKind.SYSTEM,
  });
});
