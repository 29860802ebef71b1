// scripts/web-pack.mjs on a small app cut the way wasm-split-cli cuts one
// (docs/ARCHITECTURE.md, "Code splitting"): which chunks go into common and
// which into a split point's own pack, what a pack holds, and the rewritten
// loader run in node — a split point's first call fetches its packs once
// each, instantiates its modules from them, and a failed fetch is tried again.
// No browser and no server: node alone.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PACKER = join(ROOT, 'scripts', 'web-pack.mjs');

/** A valid, empty wasm module with a custom section `name` of `size` bytes and a marker section. */
function module(marker, nameSize = 40) {
  const custom = (name, body) => {
    const payload = Buffer.concat([Buffer.from([name.length]), Buffer.from(name), body]);
    assert.ok(payload.length < 128);
    return Buffer.concat([Buffer.from([0, payload.length]), payload]);
  };
  return Buffer.concat([
    Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]),
    custom('name', Buffer.alloc(nameSize, 0x61)),
    custom('marker', Buffer.from(marker)),
  ]);
}

/** A loader in wasm-split-cli's form: chunks and split points with their deps. */
function loader(chunks, splits) {
  const fetcher = (file) => `() => {
    const src = fetch(new URL("./${file}", import.meta.url));
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}
`;
  let js = `import { initSync } from "./mezha-web.js";
function getSharedImports() { return { __wasm_split: initSync(undefined, undefined) }; }
function wrapAsyncCb(callee) {
    return async (callbackIndex, callbackData) => {
        let success;
        try { await callee(); success = true; } catch (e) { success = false; }
        getSharedImports().__wasm_split.__indirect_function_table.get(callbackIndex)(callbackData, success);
    };
}
function makeLoad(fetcher, deps) {
    let loading;
    return () => {
        if (loading === undefined) {
            loading = (async () => {
                const parallel = deps.map((d) => d());
                const instantiate = fetcher();
                await Promise.all(parallel);
                return instantiate(getSharedImports());
            })();
            loading.catch(() => { loading = undefined; });
        }
        return loading;
    };
}
`;
  for (const [i, users] of chunks.entries()) {
    js += `/* ${users.join(', ')} */\nconst __chunk_${i} = makeLoad(${fetcher(`chunk_${i}.wasm`)}, []);\n`;
  }
  for (const [name, deps] of Object.entries(splits)) {
    js += `export const __wasm_split_load_${name} = wrapAsyncCb(makeLoad(${fetcher(`split_${name}.wasm`)}, [${deps.map((d) => `__chunk_${d}`).join(', ')}]));\n`;
  }
  return js;
}

/** The sections of a module: [[id, custom name or ''], ...]. */
function sections(bytes) {
  const out = [];
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at];
    const size = bytes[at + 1];
    const name = id === 0 ? bytes.subarray(at + 3, at + 3 + bytes[at + 2]).toString() : '';
    out.push([id, name]);
    at += 2 + size;
  }
  return out;
}

function readPack(path) {
  const bytes = readFileSync(path);
  const length = bytes.readUInt32LE(0);
  const index = JSON.parse(bytes.subarray(4, 4 + length).toString());
  const modules = Object.fromEntries(Object.entries(index)
    .map(([file, [offset, size]]) => [file, bytes.subarray(4 + length + offset, 4 + length + offset + size)]));
  return modules;
}

test('web-pack: chunks into common and per split point packs, and a loader that fetches each pack once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'web-pack-'));
  const app = join(dir, 'app');
  try {
    execFileSync('mkdir', ['-p', app]);
    // Five split points (four areas and a part); chunk 0 is needed by four of
    // them (common), chunk 1 by two, chunk 2 by one.
    const splits = {
      a_area_11: [0, 1], b_area_11: [0, 1], c_area_11: [0], d_area_11: [0, 2], part_7: [],
    };
    const chunks = [['a', 'b', 'c', 'd'], ['a', 'b'], ['d']];
    writeFileSync(join(app, '__wasm_split.js'), loader(chunks, splits));
    for (const i of chunks.keys()) writeFileSync(join(app, `chunk_${i}.wasm`), module(`chunk ${i}`));
    for (const name of Object.keys(splits)) writeFileSync(join(app, `split_${name}.wasm`), module(`split ${name}`));
    writeFileSync(join(app, 'mezha-web_bg.wasm'), module('main'));
    const called = [];
    writeFileSync(join(app, 'mezha-web.js'), `export function initSync() {
      return { __indirect_function_table: { get: (i) => (data, ok) => globalThis.__called.push([i, data, ok]) } };
    }\n`);
    const appRs = join(dir, 'app.rs');
    writeFileSync(appRs, `
      <Route path=path!("/a") view={Lazy::<ARoute>::new()}/>
      <Route path=path!("/a/:id") view={Lazy::<AOneRoute>::new()}/>
      <Route path=path!("/b") view={Lazy::<BRoute>::new()}/>
      <Route path=path!("/c") view={Lazy::<CRoute>::new()}/>
      <Route path=path!("/d") view={Lazy::<DRoute>::new()}/>
      lazy_area!(a_area, APages { List: ARoute => A, One: AOneRoute => AOne, });
      lazy_area!(b_area, BPages { List: BRoute => B });
      lazy_area!(c_area, CPages { List: CRoute => C });
      lazy_area!(d_area, DPages { List: DRoute => D });
    `);

    execFileSync('node', [PACKER, 'pack', app, appRs], { stdio: ['ignore', 'ignore', 'pipe'] });

    // The packs, and no loose chunk left.
    const files = readdirSync(app).sort();
    assert.deepEqual(files.filter((f) => f.endsWith('.wasm')), ['mezha-web_bg.wasm']);
    assert.deepEqual(files.filter((f) => f.endsWith('.wasmpack')).sort(), [
      'a_area_11.wasmpack', 'b_area_11.wasmpack', 'c_area_11.wasmpack', 'common.wasmpack',
      'd_area_11.wasmpack', 'part_7.wasmpack',
    ]);
    const common = readPack(join(app, 'common.wasmpack'));
    assert.deepEqual(Object.keys(common), ['chunk_0.wasm']);
    const a = readPack(join(app, 'a_area_11.wasmpack'));
    assert.deepEqual(Object.keys(a).sort(), ['chunk_1.wasm', 'split_a_area_11.wasm']);
    assert.deepEqual(Object.keys(readPack(join(app, 'd_area_11.wasmpack'))).sort(), ['chunk_2.wasm', 'split_d_area_11.wasm']);
    // A module in a pack is the module without its name section.
    assert.deepEqual(sections(a['chunk_1.wasm']), [[0, 'marker']]);
    assert.ok(a['chunk_1.wasm'].includes(Buffer.from('chunk 1')));
    await WebAssembly.compile(a['chunk_1.wasm']);

    // The boot script's routes: each lazily loaded path with its packs.
    const routes = JSON.parse(readFileSync(join(dir, 'preload.json'), 'utf8'));
    assert.deepEqual(routes, [
      ['^/a$', ['common.wasmpack', 'a_area_11.wasmpack']],
      ['^/a/[^/]+$', ['common.wasmpack', 'a_area_11.wasmpack']],
      ['^/b$', ['common.wasmpack', 'b_area_11.wasmpack']],
      ['^/c$', ['common.wasmpack', 'c_area_11.wasmpack']],
      ['^/d$', ['common.wasmpack', 'd_area_11.wasmpack']],
    ]);
    const boot = execFileSync('node', [PACKER, 'boot', 'app-1234', join(dir, 'preload.json')]).toString();
    assert.match(boot, /await import\("\.\/app-1234\/mezha-web\.js"\)/);

    // The loader in node, with fetch served from the folder and counted.
    const fetched = [];
    let failNext = null;
    globalThis.__called = called;
    globalThis.fetch = async (url) => {
      const file = fileURLToPath(url).replace(/.*\//, '');
      fetched.push(file);
      if (failNext === file) {
        failNext = null;
        return new Response('gone', { status: 503 });
      }
      return new Response(readFileSync(join(app, file)));
    };
    const loaded = await import(pathToFileURL(join(app, '__wasm_split.js')).href);

    // The first pack fetch of `a` fails: the callback says so, and nothing is kept.
    failNext = 'a_area_11.wasmpack';
    await loaded.__wasm_split_load_a_area_11(1, 'a');
    assert.deepEqual(called.at(-1), [1, 'a', false]);
    await loaded.__wasm_split_load_a_area_11(2, 'a again');
    assert.deepEqual(called.at(-1), [2, 'a again', true]);
    assert.deepEqual(fetched.sort(), ['a_area_11.wasmpack', 'a_area_11.wasmpack', 'common.wasmpack']);

    // `b` shares chunks 0 and 1 with `a`: only its own pack is fetched; a
    // second call fetches nothing.
    fetched.length = 0;
    await loaded.__wasm_split_load_b_area_11(3, 'b');
    await loaded.__wasm_split_load_b_area_11(4, 'b');
    assert.deepEqual(called.slice(-2), [[3, 'b', true], [4, 'b', true]]);
    assert.deepEqual(fetched, ['b_area_11.wasmpack']);

    // A part with no chunk of its own sharing: only its pack.
    fetched.length = 0;
    await loaded.__wasm_split_load_part_7(5, 'part');
    assert.deepEqual(called.at(-1), [5, 'part', true]);
    assert.deepEqual(fetched, ['part_7.wasmpack']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
