/**
 * The files Python made (shared/interop/vectors): read them into JavaScript values and write them
 * back byte for byte; write them from their native values and declared types byte for byte;
 * outputs and error documents from values; action names and the task-identity example.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import type { FlyteType } from "@flyte/type-engine";
import {
  cacheKey,
  childActionName,
  decodeError,
  decodeInputs,
  decodeOutputs,
  encodeError,
  encodeInputs,
  encodeOutputs,
  flyteTypes,
  fromLiteral,
  inputsHash,
  inputsHashPreimage,
  interfaceHash,
  taskHash,
  toLiteral,
  typedInterface,
} from "@flyte/type-engine";
import { toBinaryDeterministic, TypedInterfaceSchema } from "@flyte/type-engine/proto";

import { checker, vectorBytes, vectorJson, VECTORS } from "./helpers/interop.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

const PYTHON_TYPES: Record<string, FlyteType> = {
  int: flyteTypes.integer,
  float: flyteTypes.float,
  str: flyteTypes.string,
  "list[int]": flyteTypes.list(flyteTypes.integer),
  "list[str]": flyteTypes.list(flyteTypes.string),
};

interface InputCase {
  inputs: {
    name: string;
    python_type: string;
    native: unknown;
    literal_pb_hex: string;
    hash_repr_hex: string;
  }[];
  context: { key: string; value: string }[];
  inputs_hash: string;
  hash_preimage_hex: string;
}

const cases = readdirSync(join(VECTORS, "inputs"))
  .filter((f) => f.endsWith(".pb"))
  .map((f) => f.slice(0, -3))
  .sort();

test("every input vector is covered", () => {
  expect(cases).toEqual(["floats", "ints", "lists", "no_inputs", "strings"]);
});

describe.each(cases)("inputs/%s", (name) => {
  const bytes = vectorBytes("inputs", `${name}.pb`);
  const side = vectorJson<InputCase>("inputs", `${name}.json`);

  test("decodes to the native values, re-encodes byte for byte", () => {
    const d = decodeInputs(bytes);
    expect(d.literals.map((l) => l.name)).toEqual(side.inputs.map((i) => i.name));
    expect(d.context).toEqual(Object.fromEntries(side.context.map((c) => [c.key, c.value])));
    expect(d.kickoffInput).toBeUndefined();
    for (const [i, input] of side.inputs.entries()) {
      const t = PYTHON_TYPES[input.python_type]!;
      expect(fromLiteral(d.literals[i]!.literal, t)).toEqual(input.native);
      expect(fromLiteral(d.literals[i]!.literal)).toEqual(input.native);
    }
    expect(hex(encodeInputs(d.literals, d.contextPairs))).toBe(hex(bytes));
    expect(hex(encodeInputs(d.literals, d.context))).toBe(hex(bytes));
  });

  test("the inputs hash and its pre-image are Python's", () => {
    const d = decodeInputs(bytes);
    expect(inputsHash(d.literals)).toBe(side.inputs_hash);
    expect(hex(inputsHashPreimage(d.literals))).toBe(side.hash_preimage_hex);
  });

  test("native values + declared types encode to the same bytes", () => {
    const literals = side.inputs.map((i) => ({
      name: i.name,
      literal: toLiteral(i.native, PYTHON_TYPES[i.python_type]!, `input "${i.name}"`),
    }));
    const ours = encodeInputs(
      literals,
      side.context.map((c) => [c.key, c.value] as [string, string]),
    );
    expect(hex(ours)).toBe(hex(bytes));
    expect(inputsHash(literals)).toBe(side.inputs_hash);
    const dir = mkdtempSync(join(tmpdir(), "te-vec-"));
    try {
      writeFileSync(join(dir, "inputs.pb"), ours);
      const r = checker(["inputs", join(dir, "inputs.pb"), "--case", name]);
      expect(r.stdout).toContain("bytes identical to Python reference: True");
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test("a whole-number float stays float_value (floats.whole = 2.0)", () => {
  const lit = toLiteral(2, flyteTypes.float, "input whole");
  const side = vectorJson<InputCase>("inputs", "floats.json");
  const whole = side.inputs.find((i) => i.name === "whole")!;
  expect(lit.value.case).toBe("scalar");
  expect(hex(encodeOutputs([{ name: "x", literal: lit }])).endsWith(whole.literal_pb_hex)).toBe(
    true,
  );
});

describe("outputs and errors", () => {
  const expected = vectorJson("outputs", "expected.json").cases;

  test("outputs_int.pb: decodes to 42, encodes from 42 byte for byte", () => {
    const bytes = vectorBytes("outputs", "outputs_int.pb");
    const outs = decodeOutputs(bytes);
    expect(outs.map((o) => o.name)).toEqual(["o0"]);
    expect(fromLiteral(outs[0]!.literal, flyteTypes.integer)).toBe(42);
    const ours = encodeOutputs([
      { name: "o0", literal: toLiteral(42, flyteTypes.integer, "output o0") },
    ]);
    expect(hex(ours)).toBe(expected.outputs_int.file_hex);
    expect(hex(encodeOutputs(outs))).toBe(hex(bytes));
  });

  test("no outputs is 0 bytes, and reads back as none", () => {
    expect(encodeOutputs([]).length).toBe(0);
    expect(decodeOutputs(new Uint8Array(0))).toEqual([]);
  });

  test("error_user.pb: RECOVERABLE written explicitly, byte for byte", () => {
    const bytes = vectorBytes("outputs", "error_user.pb");
    const e = expected.error_user;
    expect(decodeError(bytes)).toEqual({
      code: e.code,
      message: e.message,
      kind: "RECOVERABLE",
      origin: "USER",
    });
    const ours = encodeError({
      code: e.code,
      message: e.message,
      kind: "RECOVERABLE",
      origin: "USER",
    });
    expect(hex(ours)).toBe(e.file_hex);
  });

  test("a NON_RECOVERABLE system error round-trips and the checker reads it", () => {
    const bytes = encodeError({
      code: "OOM",
      message: "out of memory",
      kind: "NON_RECOVERABLE",
      origin: "SYSTEM",
    });
    expect(decodeError(bytes)).toEqual({
      code: "OOM",
      message: "out of memory",
      kind: "NON_RECOVERABLE",
      origin: "SYSTEM",
    });
    const dir = mkdtempSync(join(tmpdir(), "te-err-"));
    try {
      writeFileSync(join(dir, "error.pb"), bytes);
      const r = checker([
        "error",
        join(dir, "error.pb"),
        "--code",
        "OOM",
        "--origin",
        "SYSTEM",
        "--kind",
        "NON_RECOVERABLE",
        "--message",
        "out of memory",
      ]);
      expect(r.stdout).toContain("RESULT: MATCH");
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("identities (action_names.json)", () => {
  const names = vectorJson("action_names.json");
  const ex = names.task_identity_example;

  test("the task-identity example: interface bytes, interface hash, task hash", () => {
    const iface = typedInterface(
      [
        ["y", flyteTypes.integer],
        ["big", flyteTypes.integer],
        ["x", flyteTypes.integer],
      ],
      [["o0", flyteTypes.integer]],
    );
    expect(iface.inputs!.variables.map((v) => v.key)).toEqual(["big", "x", "y"]);
    expect(hex(toBinaryDeterministic(TypedInterfaceSchema, iface))).toBe(ex.typed_interface_pb_hex);
    expect(interfaceHash(iface)).toBe(ex.interface_hash);
    expect(taskHash(ex.task_template_name, ex.interface_hash, ex.discovery_version)).toBe(
      ex.task_identity_hash,
    );
  });

  test.each(
    names.cases as {
      parent_action_name: string;
      inputs_hash: string;
      task_hash: string;
      task_call_seq: number;
      group: string | null;
      expected_name: string;
    }[],
  )("child action name %#", (c) => {
    expect(
      childActionName(
        c.parent_action_name,
        c.inputs_hash,
        c.task_hash,
        c.task_call_seq,
        c.group ?? undefined,
      ),
    ).toBe(c.expected_name);
  });

  test("cache key = base64(sha256(inputs_hash + task_name + interface_hash + cache_version))", () => {
    const want = createHash("sha256")
      .update(`abcmy_env.add_one${ex.interface_hash}v1`)
      .digest("base64");
    expect(cacheKey("abc", "my_env.add_one", ex.interface_hash, "v1")).toBe(want);
  });

  test("seq must be a positive integer", () => {
    expect(() => childActionName("a0", "h", "t", 0)).toThrow(RangeError);
  });
});
