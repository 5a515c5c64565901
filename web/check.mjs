// The front-end as committed is what its sources make (`make test` runs this):
// 1. src/api-types.d.ts is what openapi-typescript generates from openapi.json (which
//    tests/web/test_frontend.py checks against the app's own OpenAPI document);
// 2. the sources type-check against it (tsc --noEmit, checkJs, strict);
// 3. the bundle in src/amur/web/static is byte for byte what build.mjs builds from them.
// `make web` regenerates all three.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const bin = (name) => join(here, "node_modules/.bin", name);
const run = (file, args) => execFileSync(file, args, { cwd: here, stdio: ["ignore", "pipe", "inherit"] });
const stat = resolve(here, "../src/amur/web/static");
const work = mkdtempSync(join(tmpdir(), "amur-web-check-"));
const failures = [];
const same = (a, b) => readFileSync(a).equals(readFileSync(b));

try {
  run(bin("openapi-typescript"), ["openapi.json", "-o", join(work, "api-types.d.ts")]);
  if (!same(join(work, "api-types.d.ts"), join(here, "src/api-types.d.ts"))) {
    failures.push("web/src/api-types.d.ts is not what openapi-typescript makes of web/openapi.json");
  }

  try {
    run(bin("tsc"), ["-p", here]);
  } catch (error) {
    failures.push(`tsc found type errors in web/src:\n${error.stdout}`);
  }

  // The country outlines are data, not built from these sources: start from the committed ones.
  const bundle = join(work, "static");
  mkdirSync(bundle);
  copyFileSync(join(stat, "countries.geojson"), join(bundle, "countries.geojson"));
  run(process.execPath, [join(here, "build.mjs"), bundle]);
  for (const name of ["app.js", "app.css", "index.html", "maplibre-gl-worker.js", "THIRD_PARTY_LICENSES.txt"]) {
    if (!same(join(bundle, name), join(stat, name))) {
      failures.push(`src/amur/web/static/${name} is not what web/build.mjs builds from web/src`);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

if (failures.length) {
  console.error(`${failures.join("\n")}\nRun \`make web\` and commit what it writes.`);
  process.exit(1);
}
console.log("web: types, type check and bundle match their sources");
