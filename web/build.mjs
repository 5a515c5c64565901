// Builds the map page into src/amur/web/static (committed, so users need no npm), or into
// the folder given as the first argument (check.mjs builds into a temporary one):
// app.js + app.css (our code with MapLibre GL JS bundled in), the MapLibre worker,
// the Natural Earth country outlines (public domain), and the licenses of what is bundled.
import * as esbuild from "esbuild";
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2] ? resolve(process.argv[2]) : resolve(here, "../src/amur/web/static");
mkdirSync(out, { recursive: true });

await esbuild.build({
  entryPoints: [join(here, "src/main.js")],
  bundle: true,
  format: "esm",
  minify: true,
  target: ["es2022"],
  legalComments: "none",
  outfile: join(out, "app.js"),
  logLevel: process.argv[2] ? "warning" : "info",
});
copyFileSync(join(here, "src/index.html"), join(out, "index.html"));
copyFileSync(
  join(here, "node_modules/maplibre-gl/dist/maplibre-gl-worker.mjs"),
  join(out, "maplibre-gl-worker.js"),
);

// Country outlines (name, ISO 3166-1 alpha-3 and alpha-2 codes, 0.001 degree) are written by
// tools/build_countries.py from Natural Earth; the OSM importer reads the codes too.
if (!existsSync(join(out, "countries.geojson"))) {
  throw new Error("no countries.geojson; run python tools/build_countries.py");
}

// Licenses of every package bundled into app.js and the worker (production dependencies).
const lock = JSON.parse(readFileSync(join(here, "package-lock.json"), "utf8"));
const parts = [
  "Third-party software bundled in app.js and maplibre-gl-worker.js, built by web/build.mjs.\n" +
  "Country outlines: Natural Earth 1:110m Admin 0 countries, public domain (naturalearthdata.com).\n",
];
for (const [path, meta] of Object.entries(lock.packages).sort()) {
  if (!path || meta.dev) continue;
  const folder = join(here, path);
  const file = readdirSync(folder).find((n) => /^(licen[cs]e|copying)/i.test(n));
  parts.push(`\n==== ${path.replace(/^node_modules\//, "")} ${meta.version} (${meta.license ?? "see below"}) ====\n`);
  parts.push(file ? readFileSync(join(folder, file), "utf8") : "(no license file in the package)\n");
}
writeFileSync(join(out, "THIRD_PARTY_LICENSES.txt"), parts.join(""));
console.log(`built into ${out}`);
