// A CommonJS task file: the ESM CLI loads it, so two copies of the SDK share one context.
const { TaskEnvironment, customContext, getCustomContext } = require("@flyte/sdk");

const env = new TaskEnvironment({ name: "cjs_tasks" });

const downstream = env.task(async function downstream(x) {
  return x + Number(getCustomContext().increment);
});

exports.main = env.task(async function main(x) {
  const vals = [];
  for (let i = 0; i < 3; i++)
    vals.push(await customContext({ increment: String(i) }, () => downstream(x)));
  return vals.reduce((a, b) => a + b, 0);
});
