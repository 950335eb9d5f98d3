// Builds the TypeScript flow into tests/e2e/clients/build/ (ignored by git):
//   node tests/e2e/clients/build.mjs [SCHEMA]        (SCHEMA: docs/openapi.yaml by default)
// - build/schema.ts: the types of the schema, by openapi-typescript. As its CLI writes them,
//   except that a `format: binary` field is a Blob, not a string, so that a file upload
//   (multipart/form-data) type-checks with a real file in it. A .ts rather than a .d.ts file:
//   tsconfig.json skips the type-checking of declaration files (those of node_modules take
//   seconds), and the generated types are to be checked with the flow.
// - build/flow.js and build/steps.js: flow.ts and the steps it shares with heyapi_flow.ts
//   (steps.ts) as node runs them, by TypeScript's transpiler, without type-checking:
//   `npx tsc -p tests/e2e/clients --noEmit` does that.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import openapiTS, { astToString } from "openapi-typescript";
import ts from "typescript";

const here = path.dirname(fileURLToPath(import.meta.url));
const schema = path.resolve(process.argv[2] ?? path.join(here, "../../../docs/openapi.yaml"));
const build = path.join(here, "build");
fs.mkdirSync(build, { recursive: true });

const BLOB = ts.factory.createTypeReferenceNode(ts.factory.createIdentifier("Blob"));
const NULL = ts.factory.createLiteralTypeNode(ts.factory.createNull());
const ast = await openapiTS(pathToFileURL(schema), {
  transform(schemaObject) {
    if (schemaObject.format === "binary") {
      return schemaObject.nullable ? ts.factory.createUnionTypeNode([BLOB, NULL]) : BLOB;
    }
    return undefined;
  },
});
fs.writeFileSync(path.join(build, "schema.ts"), astToString(ast));

for (const name of ["flow", "steps"]) {
  const source = fs.readFileSync(path.join(here, `${name}.ts`), "utf8");
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      esModuleInterop: true,
    },
    fileName: `${name}.ts`,
  });
  fs.writeFileSync(path.join(build, `${name}.js`), outputText);
}
