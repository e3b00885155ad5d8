/**
 * @flyte/type-engine against JSON in the same process: values -> outputs.pb bytes -> values
 * (toLiteral + encodeOutputs + decodeOutputs + fromLiteral) of a 10,000-element list of records
 * declared with zod, and of a 1 MiB string, vs `JSON.parse(JSON.stringify(v))` of the same value
 * (target ≥ 0.5× JSON's throughput); the inputs hash of the same list vs one sha256 of its bytes;
 * and the cost of the first wire use (descriptors decoded on demand).
 */
import { createHash } from "node:crypto";
import { performance } from "node:perf_hooks";

import { z } from "zod";

import {
  decodeOutputs,
  encodeInputs,
  encodeOutputs,
  fromLiteral,
  inputsHash,
  toLiteral,
  typeOfSchema,
  flyteTypes,
} from "@flyte/type-engine";

import { compare, printRows, printTable } from "../../../tooling/bench/harness.js";

// First wire use: the descriptors are decoded now (in the built package, loaded now too).
const t0 = performance.now();
encodeOutputs([{ name: "o0", literal: toLiteral(1, flyteTypes.integer, "o0") }]);
const firstUseMs = performance.now() - t0;

const Record = z.object({
  id: z.int(),
  name: z.string(),
  score: z.number(),
  tags: z.array(z.string()),
});
const listType = typeOfSchema(z.array(Record), "output o0");
const records = Array.from({ length: 10_000 }, (_, i) => ({
  id: i,
  name: `record-${i}`,
  // Every tenth score is whole: written as float64 (0xcb) all the same.
  score: i % 10 === 0 ? i : i * 0.731,
  tags: ["alpha", `t${i % 7}`],
}));
const bigString = "x".repeat(1024 * 1024 - 3) + "é✓";

let sink: unknown;
const roundTrip = (value: unknown, t: typeof listType) => () => {
  const bytes = encodeOutputs([{ name: "o0", literal: toLiteral(value, t, "output o0") }]);
  sink = fromLiteral(decodeOutputs(bytes)[0]!.literal, t, "output o0");
};
const jsonRoundTrip = (value: unknown) => () => {
  sink = JSON.parse(JSON.stringify(value));
};

const listLiterals = [{ name: "rows", literal: toLiteral(records, listType, "input rows") }];
const listBytes = encodeInputs(listLiterals, []);
const untypedList = flyteTypes.list(flyteTypes.any);

const results = await compare([
  {
    name: "10,000 zod records: value -> outputs.pb -> value",
    target: "≥ 0.5×",
    kind: "throughput",
    baseline: { name: "JSON stringify+parse", fn: jsonRoundTrip(records) },
    subject: { name: "type engine", fn: roundTrip(records, listType) },
  },
  {
    name: "10,000 records, undeclared (list of any)",
    target: "tracked",
    kind: "throughput",
    baseline: { name: "JSON stringify+parse", fn: jsonRoundTrip(records) },
    subject: { name: "type engine", fn: roundTrip(records, untypedList) },
  },
  {
    name: "1 MiB string: value -> outputs.pb -> value",
    target: "≥ 0.5×",
    kind: "throughput",
    baseline: { name: "JSON stringify+parse", fn: jsonRoundTrip(bigString) },
    subject: { name: "type engine", fn: roundTrip(bigString, flyteTypes.string) },
  },
  {
    name: "inputs hash of the 10,000-record list",
    target: "tracked",
    kind: "time",
    baseline: {
      name: "sha256 of its inputs.pb",
      fn: () => (sink = createHash("sha256").update(listBytes).digest("base64")),
    },
    subject: { name: "inputsHash", fn: () => (sink = inputsHash(listLiterals)) },
  },
]);
printTable("@flyte/type-engine vs JSON", results);
printRows(
  "First wire use",
  ["what", "time"],
  [["descriptors decoded (source build, first encodeOutputs)", `${firstUseMs.toFixed(1)} ms`]],
);
void sink;
