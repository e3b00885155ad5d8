import { parseRunArgs } from "../src/cli/parseRunArgs.js";
import { bindTaskArgs } from "../src/cli/bindTaskArgs.js";
import { parameterList } from "../src/task/parameterList.js";
import { coerceValue } from "../src/cli/coerceValue.js";
import { EntrypointError } from "../src/entrypoint/EntrypointError.js";
import { TaskEnvironment } from "../src/index.js";

describe("parameterList", () => {
  it("reads names and defaults of functions, arrows and async functions", () => {
    async function useCheckpoint(nIterations: number, label = "x", on = false, ...rest: number[]) {
      return [nIterations, label, on, rest];
    }
    expect(parameterList(useCheckpoint)).toEqual([
      { name: "nIterations", rest: false },
      { name: "label", defaultText: '"x"', rest: false },
      { name: "on", defaultText: "false", rest: false },
      { name: "rest", rest: true },
    ]);
    const arrow = async (a: number, b = [1, 2]) => a + b.length;
    expect(parameterList(arrow).map((p) => p.name)).toEqual(["a", "b"]);
    expect(parameterList(arrow)[1]!.defaultText).toMatch(/^\[\s*1,\s*2\s*\]$/);
    const bare = (x: unknown) => x;
    expect(parameterList(bare)).toEqual([{ name: "x", rest: false }]);
    const destructured = ({ a }: { a: number }, n = 3) => a + n;
    expect(parameterList(destructured)).toEqual([
      { name: undefined, rest: false },
      { name: "n", defaultText: "3", rest: false },
    ]);
  });
});

describe("coerceValue", () => {
  it("follows the default's type", () => {
    expect(coerceValue("7", "n", "3")).toBe(7);
    expect(coerceValue("007", "s", '"x"')).toBe("007");
    expect(coerceValue("yes", "b", "false")).toBe(true);
    expect(coerceValue("[1]", "j", "[]")).toEqual([1]);
    expect(() => coerceValue("seven", "n", "3")).toThrow(/--n wants a number/);
    expect(() => coerceValue("maybe", "b", "true")).toThrow(/--b wants true or false/);
    expect(() => coerceValue("[1", "j", "[]")).toThrow(/--j wants JSON/);
  });
  it("uses JSON where it parses, else the string", () => {
    expect(coerceValue("3", "x")).toBe(3);
    expect(coerceValue("true", "x")).toBe(true);
    expect(coerceValue('{"a":1}', "x")).toEqual({ a: 1 });
    expect(coerceValue("hello", "x")).toBe("hello");
    expect(coerceValue(true, "x")).toBe(true);
  });
});

describe("parseRunArgs + bindTaskArgs", () => {
  const env = new TaskEnvironment({ name: "cli_args" });
  const params = env.task(async function main(
    x: number,
    nIterations = 10,
    name = "n",
    verbose = false,
  ) {
    return [x, nIterations, name, verbose];
  });

  it("splits the CLI's options from the task's arguments", () => {
    const r = parseRunArgs([
      "--run-name",
      "demo",
      "tasks.ts",
      "main",
      "--x",
      "4",
      "--n-iterations=5",
      "--json",
      "--custom-context",
      "team=ml",
      "--verbose",
    ]);
    expect(r).toMatchObject({
      file: "tasks.ts",
      task: "main",
      json: true,
      runName: "demo",
      customContext: [["team", "ml"]],
    });
    expect(bindTaskArgs(params, r.taskTokens)).toEqual([4, 5, undefined, true]);
  });

  it("fills positionals in order and leaves gaps for defaults", () => {
    const r = parseRunArgs(["t.ts", "main", "4", "--name", "007"]);
    expect(bindTaskArgs(params, r.taskTokens)).toEqual([4, undefined, "007"]);
  });

  it("passes everything after -- to the task", () => {
    const ps = env.task(async function f(json: boolean, n: number) {
      return [json, n];
    });
    const r = parseRunArgs(["t.ts", "f", "--", "--json", "true", "--n", "2"]);
    expect(r.json).toBe(false);
    expect(bindTaskArgs(ps, r.taskTokens)).toEqual([true, 2]);
  });

  it("refuses unknown, repeated and extra arguments, naming them", () => {
    const unknown = () =>
      bindTaskArgs(params, parseRunArgs(["t.ts", "main", "--y", "1"]).taskTokens);
    expect(unknown).toThrow(EntrypointError);
    expect(unknown).toThrow(
      /unknown task parameter --y; the task takes --x, --nIterations, --name, --verbose/,
    );
    expect(() =>
      bindTaskArgs(params, parseRunArgs(["t.ts", "main", "--x", "1", "--x", "2"]).taskTokens),
    ).toThrow(/--x given twice/);
    expect(() =>
      bindTaskArgs(params, parseRunArgs(["t.ts", "main", "1", "2", "3", "true", "5"]).taskTokens),
    ).toThrow(/too many arguments: the task takes 4; 1 extra value: "5"/);
    expect(() => parseRunArgs(["--bogus", "t.ts", "main"])).toThrow(
      /unknown option --bogus before <file> <task>/,
    );
    expect(() => parseRunArgs(["t.ts", "main", "--custom-context", "novalue"])).toThrow(
      /key=value/,
    );
    expect(() => parseRunArgs(["t.ts", "main", "--run-name"])).toThrow(/--run-name needs a value/);
  });
});
