/**
 * JSON Schema -> msgpack {@link Plan}: how a declared object's fields are laid out in msgpack
 * (see `../msgpack/Plan.ts`). Compiled once per schema object and cached.
 */
import type { Plan } from "../msgpack/Plan.js";
import { ANY } from "../msgpack/Plan.js";
import { FLYTE_TYPE_KEYWORD } from "./jsonSchemaOf.js";
import { resolveRef } from "./typeOfJsonSchema.js";

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function fromType(type: string, js: Json, c: Compiler): Plan {
  switch (type) {
    case "integer":
      return { k: "int", bigint: false };
    case "number":
      return { k: "float" };
    case "string":
      return { k: "string" };
    case "boolean":
      return { k: "bool" };
    case "null":
      return { k: "null" };
    case "array": {
      const prefix = Array.isArray(js["prefixItems"])
        ? (js["prefixItems"] as Json[]).map((p) => c.plan(p))
        : [];
      return { k: "array", prefix, items: isObject(js["items"]) ? c.plan(js["items"]) : ANY };
    }
    case "object": {
      const props = new Map<string, Plan>();
      if (isObject(js["properties"])) {
        for (const [k, v] of Object.entries(js["properties"]))
          props.set(k, isObject(v) ? c.plan(v) : ANY);
      }
      const extra = isObject(js["additionalProperties"]) ? c.plan(js["additionalProperties"]) : ANY;
      return { k: "object", props, extra };
    }
    default:
      return ANY;
  }
}

function valuePlan(values: unknown[]): Plan {
  if (values.every((v) => typeof v === "string")) return { k: "string" };
  if (values.every((v) => typeof v === "number" && Number.isInteger(v)))
    return { k: "int", bigint: false };
  if (values.every((v) => typeof v === "number")) return { k: "float" };
  if (values.every((v) => typeof v === "boolean")) return { k: "bool" };
  return ANY;
}

class Compiler {
  private readonly refs = new Map<string, Plan>();

  constructor(private readonly root: Json) {}

  plan(js: Json): Plan {
    switch (js[FLYTE_TYPE_KEYWORD]) {
      case "datetime":
        return { k: "datetime" };
      case "duration":
        return { k: "duration" };
      case "int64":
        return { k: "int", bigint: true };
      case "bytes":
        return { k: "bytes" };
      case "file":
        return { k: "file" };
      case "dir":
        return { k: "dir" };
    }
    if (typeof js["$ref"] === "string") return this.ref(js["$ref"]);
    const alternatives = js["anyOf"] ?? js["oneOf"];
    if (Array.isArray(alternatives))
      return { k: "union", options: (alternatives as Json[]).map((a) => this.plan(a)) };
    const type = js["type"];
    if (Array.isArray(type))
      return {
        k: "union",
        options: type.map((t) => fromType(String(t), { ...js, type: t }, this)),
      };
    if (typeof type === "string") return fromType(type, js, this);
    if (Array.isArray(js["enum"])) return valuePlan(js["enum"]);
    if ("const" in js) return valuePlan([js["const"]]);
    if (Array.isArray(js["allOf"])) {
      // An intersection of objects: every member's properties apply.
      const props = new Map<string, Plan>();
      for (const member of js["allOf"] as Json[]) {
        const p = this.plan(member);
        if (p.k === "object") for (const [k, v] of p.props) props.set(k, v);
      }
      return props.size > 0 ? { k: "object", props, extra: ANY } : ANY;
    }
    return ANY;
  }

  private ref(ref: string): Plan {
    let plan = this.refs.get(ref);
    if (plan === undefined) {
      let resolved: Plan | undefined;
      plan = {
        k: "ref",
        resolve: () => (resolved ??= this.plan(resolveRef(ref, this.root, "schema"))),
      };
      this.refs.set(ref, plan);
    }
    return plan;
  }
}

const cache = new WeakMap<object, Plan>();

/** The msgpack plan of a declared object's JSON Schema (cached per schema object). */
export function planOfJsonSchema(schema: object): Plan {
  let plan = cache.get(schema);
  if (plan === undefined) {
    plan = new Compiler(schema as Json).plan(schema as Json);
    cache.set(schema, plan);
  }
  return plan;
}
