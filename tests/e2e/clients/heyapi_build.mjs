// Builds the @hey-api/openapi-ts flow into tests/e2e/clients/build/ (ignored by git):
//   node tests/e2e/clients/heyapi_build.mjs [SCHEMA]   (SCHEMA: docs/openapi.yaml by default)
// - build/heyapi/: the SDK of the schema, by @hey-api/openapi-ts, as it writes it: one function
//   per operation, named by its operationId, over its bundled fetch client, and the types.
// - build/js/: heyapi_flow.ts, steps.ts and the SDK as node runs them (build/js/heyapi_flow.js), by
//   TypeScript's transpiler, laid out as tsc's outDir would, so that the flow's imports resolve;
//   without type-checking: `npx tsc -p tests/e2e/clients/tsconfig.heyapi.json --noEmit` does that.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { createClient } from "@hey-api/openapi-ts";
import ts from "typescript";

const here = path.dirname(fileURLToPath(import.meta.url));
const schema = path.resolve(process.argv[2] ?? path.join(here, "../../../docs/openapi.yaml"));
const build = path.join(here, "build");
const sdk = path.join(build, "heyapi");
const js = path.join(build, "js");

await createClient({
  input: schema,
  output: { path: sdk, clean: true },
  plugins: ["@hey-api/client-fetch", "@hey-api/typescript", "@hey-api/sdk"],
  logs: { level: "warn", file: false },
});

/** `file`, a .ts file under this folder, transpiled to CommonJS at its place under build/js/. */
function transpile(file) {
  const { outputText } = ts.transpileModule(fs.readFileSync(file, "utf8"), {
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      esModuleInterop: true,
    },
    fileName: path.basename(file),
  });
  const to = path.join(js, path.relative(here, file)).replace(/\.ts$/, ".js");
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.writeFileSync(to, outputText);
}

fs.rmSync(js, { recursive: true, force: true });
for (const file of fs.readdirSync(sdk, { recursive: true, encoding: "utf8" })) {
  if (file.endsWith(".ts")) transpile(path.join(sdk, file));
}
transpile(path.join(here, "heyapi_flow.ts"));
transpile(path.join(here, "steps.ts"));
