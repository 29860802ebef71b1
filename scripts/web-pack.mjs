// Packs the lazily loaded chunks of the web app (scripts/build-frontend.sh;
// docs/ARCHITECTURE.md, "Code splitting"), and writes the boot script.
//
// wasm-split-cli cuts the app into one module per split point plus one per
// *set* of split points sharing code: 13 split points give ~260 modules, and
// the order pages needed 140 of them — 140 requests, most a few hundred bytes,
// which over HTTP/1.1 on a phone is seconds of round trips. This script puts
// them into a few files (packs) instead, each one request:
//
//   common.wasmpack        every chunk that COMMON_AT or more split points need
//   <split>.wasmpack       a split point's own module and the chunks it needs
//                          that are not in common (a chunk fewer split points
//                          share is in each of their packs)
//
// and rewrites __wasm_split.js so that a split point, when first called, fetches
// common and its own pack (once each) and instantiates its modules from them;
// a module two packs hold is instantiated once (the loader keeps it). The
// cost of the duplicates is measured by `make bench` (docs/benchmarks.md).
//
//   node scripts/web-pack.mjs pack <app folder> <frontend/src/app.rs>
//       packs the folder in place (the chunks' .wasm files are replaced by the
//       packs; the name sections of the chunks are dropped) and writes
//       <app folder>/../preload.json: the packs of each lazily loaded route;
//   node scripts/web-pack.mjs boot <app folder name> <preload.json>
//       prints the boot script: it starts the app and, when the address is a
//       lazily loaded page, fetches that page's packs beside the main module.
import { readFileSync, writeFileSync, rmSync, readdirSync } from "node:fs";
import { join, dirname } from "node:path";

/** A chunk needed by this many split points or more goes into common. */
const COMMON_AT = 4;
const LOADER = "__wasm_split.js";

const die = (message) => {
  console.error(`web-pack: ${message}`);
  process.exit(1);
};

/** A module without its custom "name" section (the debugging names). */
function withoutNames(bytes) {
  const parts = [bytes.subarray(0, 8)];
  let at = 8;
  const leb = () => {
    let value = 0, shift = 0, byte;
    do {
      byte = bytes[at++];
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return value;
  };
  while (at < bytes.length) {
    const start = at;
    const id = bytes[at++];
    const size = leb();
    const body = at;
    at = body + size;
    if (id === 0) {
      const save = at;
      at = body;
      const nameLength = leb();
      const name = bytes.subarray(at, at + nameLength).toString("latin1");
      at = save;
      if (name === "name") continue;
    }
    parts.push(bytes.subarray(start, at));
  }
  if (at !== bytes.length) die("a chunk is not a well-formed wasm module");
  return Buffer.concat(parts);
}

/** The modules of the loader: chunks (var → file) and split points (name → file, deps). */
function readLoader(js) {
  const fileOf = (body) => body.match(/new URL\("\.\/([^"]+\.wasm)", import\.meta\.url\)/)?.[1];
  const chunks = new Map();
  for (const m of js.matchAll(/const (__chunk_\d+) = makeLoad\(([\s\S]*?)\n\}\n, \[\]\);/g)) {
    chunks.set(m[1], fileOf(m[2])); // undefined: an empty chunk (nothing to fetch)
  }
  const splits = new Map();
  const exportRe =
    /export const __wasm_split_load_(\w+) = wrapAsyncCb\(makeLoad\(([\s\S]*?)\n\}\n, \[([^\]]*)\]\)\);/g;
  for (const m of js.matchAll(exportRe)) {
    const deps = m[3].split(",").map((d) => d.trim()).filter(Boolean);
    for (const dep of deps) if (!chunks.has(dep)) die(`${m[1]} needs ${dep}, which the loader does not define`);
    splits.set(m[1], { file: fileOf(m[2]), deps });
  }
  if (splits.size === 0) die(`no split point found in ${LOADER}: has wasm-split-cli's output changed?`);
  return { chunks, splits, exportRe };
}

function pack(dir, appRsPath) {
  const loaderPath = join(dir, LOADER);
  let js = readFileSync(loaderPath, "utf8");
  const { chunks, splits, exportRe } = readLoader(js);

  const users = new Map(); // chunk file → how many split points need it
  for (const { deps } of splits.values()) {
    for (const dep of deps) {
      const file = chunks.get(dep);
      if (file) users.set(file, (users.get(file) ?? 0) + 1);
    }
  }
  const packs = new Map(); // pack name → [files]
  packs.set("common", [...users.keys()].filter((file) => users.get(file) >= COMMON_AT).sort());
  const packsOf = {}; // split point → the packs it fetches
  for (const [split, { file, deps }] of splits) {
    const own = [file, ...deps.map((dep) => chunks.get(dep))]
      .filter((f) => f && (users.get(f) ?? 0) < COMMON_AT);
    const needsCommon = deps.some((dep) => (users.get(chunks.get(dep)) ?? 0) >= COMMON_AT);
    packsOf[split] = [...(needsCommon ? ["common"] : []), ...(own.length ? [split] : [])]
      .map((name) => `${name}.wasmpack`);
    if (own.length) packs.set(split, own);
  }

  // Write the packs (common may be empty: then no split point asks for it).
  const slim = new Map();
  const packed = new Set();
  for (const [name, files] of packs) {
    if (files.length === 0) continue;
    const entries = {};
    const parts = [];
    let offset = 0;
    for (const file of files) {
      if (!slim.has(file)) slim.set(file, withoutNames(readFileSync(join(dir, file))));
      const bytes = slim.get(file);
      entries[file] = [offset, bytes.length];
      parts.push(bytes);
      offset += bytes.length;
      packed.add(file);
    }
    // The pack: the length of its index (4 bytes, little-endian), the index
    // (JSON: module → [offset, length] after the index), the modules.
    const index = Buffer.from(JSON.stringify(entries));
    const length = Buffer.alloc(4);
    length.writeUInt32LE(index.length);
    writeFileSync(join(dir, `${name}.wasmpack`), Buffer.concat([length, index, ...parts]));
  }
  for (const file of packed) rmSync(join(dir, file));
  const left = readdirSync(dir).filter((f) => f.endsWith(".wasm") && !f.endsWith("_bg.wasm"));
  if (left.length) die(`modules the packs do not hold: ${left.join(", ")}`);

  // The loader: fetch through the packs. It is on every first screen (the
  // main module imports it), so it is also made small: no comment per chunk
  // (the split points that share it), one fetcher function for all.
  js = js.replace(exportRe, (whole, name) =>
    whole
      .replace(" = wrapAsyncCb(makeLoad(", ` = wrapAsyncCb(__mezhaWithPacks(${JSON.stringify(name)}, makeLoad(`)
      .replace(/\]\)\);$/, "])));"));
  js = js.replace(/^\/\*.*\*\/\n/gm, "");
  const fetcher =
    /\(\) => \{\n {4}const src = fetch\(new URL\("\.\/([^"]+\.wasm)", import\.meta\.url\)\);\n {4}return async \(imports\) => \(WebAssembly\.instantiateStreaming\(src, imports\)\);\n\}\n/g;
  const fetchers = (js.match(fetcher) ?? []).length;
  if (fetchers !== [...chunks.values(), ...[...splits.values()].map((s) => s.file)].filter(Boolean).length) {
    die(`${LOADER}: ${fetchers} fetchers of the expected form, not one per module: has its format changed?`);
  }
  js = js.replace(fetcher, '__mezhaFetcher("$1")');
  js += `
// Added by scripts/web-pack.mjs: the modules come from packs, one request each.
const __mezhaPacksOf = ${JSON.stringify(packsOf)};
const __mezhaPackLoads = new Map();
function __mezhaStartPacks(split) {
    for (const pack of __mezhaPacksOf[split] ?? []) {
        if (__mezhaPackLoads.has(pack)) continue;
        const load = fetch(new URL("./" + pack, import.meta.url)).then(async (response) => {
            if (!response.ok) throw new Error(\`\${pack}: HTTP \${response.status}\`);
            const bytes = await response.arrayBuffer();
            const length = new DataView(bytes).getUint32(0, true);
            const index = JSON.parse(new TextDecoder().decode(new Uint8Array(bytes, 4, length)));
            return { bytes, start: 4 + length, index };
        });
        // A failed fetch is forgotten, so the next visit tries again.
        load.catch(() => { if (__mezhaPackLoads.get(pack) === load) __mezhaPackLoads.delete(pack); });
        __mezhaPackLoads.set(pack, load);
    }
}
function __mezhaWithPacks(split, load) {
    return () => {
        __mezhaStartPacks(split);
        return load();
    };
}
function __mezhaFetcher(file) {
    return () => {
        const src = __mezhaFetch(file);
        // Not unhandled when a sibling failed first and this is never awaited.
        src.catch(() => {});
        return async (imports) => WebAssembly.instantiateStreaming(src, imports);
    };
}
async function __mezhaFetch(file) {
    // The packs of the split points being loaded are all on their way; the
    // first that holds the module gives it.
    for (const load of [...__mezhaPackLoads.values()]) {
        const { bytes, start, index } = await load;
        const at = index[file];
        if (at) {
            return new Response(new Uint8Array(bytes, start + at[0], at[1]),
                { headers: { "Content-Type": "application/wasm" } });
        }
    }
    throw new Error(\`\${file} is in no pack being fetched\`);
}
`;
  writeFileSync(loaderPath, js);

  // The packs of each lazily loaded route, from app.rs:
  // <Route path=path!("...") view={Lazy::<SomeRoute>::new()}/> and
  // lazy_area!(x_area, Pages { Variant: SomeRoute => Page, ... }).
  const appRs = readFileSync(appRsPath, "utf8");
  const splitOfArea = (area) => [...splits.keys()].find((s) => s.replace(/_\d+$/, "") === area);
  const areaOfRoute = new Map();
  for (const m of appRs.matchAll(/lazy_area!\((\w+),\s*\w+\s*\{([^}]*)\}\);/g)) {
    for (const r of m[2].matchAll(/\w+:\s*(\w+)\s*=>/g)) areaOfRoute.set(r[1], m[1]);
  }
  const routes = [];
  for (const m of appRs.matchAll(/<Route path=path!\("([^"]+)"\) view=\{Lazy::<(\w+)>::new\(\)\}\/>/g)) {
    const split = splitOfArea(areaOfRoute.get(m[2]));
    if (!split) die(`the route ${m[1]} (${m[2]}) has no area split point in ${LOADER}`);
    const pattern = m[1]
      .split("/")
      .map((seg) => (seg.startsWith(":") ? "[^/]+" : seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
      .join("/");
    routes.push([`^${pattern}$`, packsOf[split]]);
  }
  if (routes.length === 0) die("app.rs has no lazily loaded route: has its format changed?");
  writeFileSync(join(dirname(dir), "preload.json"), JSON.stringify(routes));
  const written = [...packs].filter(([, files]) => files.length);
  const sizes = written.map(([name, files]) => `${name} ${files.length}`).join(", ");
  console.error(`web-pack: ${slim.size} modules into ${written.length} packs (${sizes})`);
}

function boot(appDir, preloadPath) {
  const routes = readFileSync(preloadPath, "utf8");
  process.stdout.write(`// Generated by scripts/build-frontend.sh (scripts/web-pack.mjs): starts the
// app, and for the address of a lazily loaded page fetches its packs beside
// the main module rather than after it (docs/ARCHITECTURE.md, "Code splitting").
// No static import: the packs are asked for as soon as this small script has
// run, before the glue has even arrived.
const routes = ${routes};
const path = location.pathname.replace(/\\/+$/, "") || "/";
const hit = routes.find(([pattern]) => new RegExp(pattern).test(path));
for (const pack of hit ? hit[1] : []) {
  // The loader fetches a pack with a plain same-origin fetch(): a preload
  // "as fetch" with crossorigin is the same request, so it is used, not repeated.
  const link = document.createElement("link");
  link.rel = "preload";
  link.as = "fetch";
  link.crossOrigin = "anonymous";
  link.href = new URL("./${appDir}/" + pack, import.meta.url).href;
  document.head.append(link);
}
const { default: init } = await import("./${appDir}/mezha-web.js");
init({ module_or_path: new URL("./${appDir}/mezha-web_bg.wasm", import.meta.url) });
`);
}

const [command, ...args] = process.argv.slice(2);
if (command === "pack" && args.length === 2) pack(...args);
else if (command === "boot" && args.length === 2) boot(...args);
else die("usage: node web-pack.mjs pack <app folder> <app.rs> | boot <app folder name> <preload.json>");
