/**
 * Where a converter is inside a value, as a linked list built for free while walking and
 * turned into text (`[3].tags[0]`) only when an error needs it.
 */
export interface PathNode {
  readonly parent: PathNode | undefined;
  readonly key: string | number;
}

/** One step down. */
export function child(parent: PathNode | undefined, key: string | number): PathNode {
  return { parent, key };
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** JavaScript accessor syntax: `.a`, `[3]`, `["odd key"]`; `""` at the top. */
export function pathText(node: PathNode | undefined): string {
  const parts: string[] = [];
  for (let n = node; n !== undefined; n = n.parent) {
    parts.push(
      typeof n.key === "number"
        ? `[${n.key}]`
        : IDENTIFIER.test(n.key)
          ? `.${n.key}`
          : `[${JSON.stringify(n.key)}]`,
    );
  }
  return parts.reverse().join("");
}
