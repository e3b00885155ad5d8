import * as fs from "node:fs";
import * as path from "node:path";

import ts from "typescript";

/**
 * The root entry must pull in no cloud SDK. Walk every module it reaches through static
 * imports (type-only imports erased) and check none is a cloud package or a cloud subpath.
 */
function staticImports(file: string): string[] {
  const source = ts.createSourceFile(
    file,
    fs.readFileSync(file, "utf8"),
    ts.ScriptTarget.ES2022,
    true,
  );
  const found: string[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && !statement.importClause?.isTypeOnly) {
      const clause = statement.importClause;
      const named = clause?.namedBindings;
      const onlyTypes =
        clause !== undefined &&
        clause.name === undefined &&
        named !== undefined &&
        ts.isNamedImports(named) &&
        named.elements.length > 0 &&
        named.elements.every((e) => e.isTypeOnly);
      if (!onlyTypes) found.push((statement.moduleSpecifier as ts.StringLiteral).text);
    }
    if (ts.isExportDeclaration(statement) && !statement.isTypeOnly && statement.moduleSpecifier) {
      found.push((statement.moduleSpecifier as ts.StringLiteral).text);
    }
  }
  return found;
}

describe("the root entry", () => {
  it("reaches no cloud SDK and no cloud subpath through static imports", () => {
    const src = path.join(__dirname, "..", "src");
    const seen = new Set<string>();
    const external = new Set<string>();
    const queue = [path.join(src, "index.ts")];
    while (queue.length) {
      const file = queue.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const spec of staticImports(file)) {
        if (spec.startsWith("."))
          queue.push(path.resolve(path.dirname(file), spec.replace(/\.js$/, ".ts")));
        else external.add(spec);
      }
    }
    expect(seen.size).toBeGreaterThan(10);
    const relative = [...seen].map((f) => path.relative(src, f));
    // The sync bridge is reached (a lazy s3:// storage answers blocking calls through it before
    // its adapter has loaded); the adapters themselves are not: the worker loads them.
    expect(relative.filter((f) => /^(s3|azure)([./]|$)/.test(f))).toEqual([]);
    expect(
      [...external].filter((m) => /^@aws-sdk|^@azure|^@flyte\/storage-adapters\//.test(m)),
    ).toEqual([]);
    // memfs too is loaded on first use of memory:// (memoryVolume.ts), not by the import.
    expect([...external].filter((m) => !m.startsWith("node:"))).toEqual([]);
  });
});
