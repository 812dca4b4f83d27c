'use strict';
// dist/server.js: loads the bridge bundle (dist/server-main.js) with a V8 code cache.
// Written by scripts/build.mjs, which fills in the bundle's content hash below.
//
// Why: compiling the ~1 MiB bundle was the largest part of the bridge's start-up CPU
// (bench/RESULTS.md). V8 can reuse the compiled code of an earlier start (`cachedData`);
// Node 20 has no built-in compile cache for CommonJS (Node >= 22.1's
// `module.enableCompileCache` does the same job), so this loader keeps one per bundle
// build and Node version, under the user's cache directory, in a 0700 folder owned by
// the user. Anything unusual (no cache dir, wrong owner, a rejected cache, any error)
// just compiles normally. CODEX_MANAGER_NO_CODE_CACHE=1 turns it off.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

const BUNDLE_HASH = '__BUNDLE_HASH__';
const bundle = path.join(__dirname, 'server-main.js');
const source = fs.readFileSync(bundle, 'utf8');

function cacheFile() {
  // No hash (a watch build): the bundle may change under us, so no cache.
  if (!/^[0-9a-f]{16}$/.test(BUNDLE_HASH) || process.env.CODEX_MANAGER_NO_CODE_CACHE === '1' || typeof process.getuid !== 'function') return undefined;
  try {
    const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
    const dir = path.join(base, 'codex-manager', 'v8');
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = fs.statSync(dir);
    if (stat.uid !== process.getuid() || (stat.mode & 0o077) !== 0) return undefined;
    return path.join(dir, `server-${BUNDLE_HASH}-${process.version}-${process.arch}.bin`);
  } catch {
    return undefined;
  }
}

const file = cacheFile();
let cachedData;
if (file) {
  try {
    cachedData = fs.readFileSync(file);
  } catch {
    cachedData = undefined;
  }
}
const script = new vm.Script(Module.wrap(source), { filename: bundle, ...(cachedData ? { cachedData } : {}) });
if (file && (!cachedData || script.cachedDataRejected)) {
  // After start-up, so the functions compiled while starting are in the cache too.
  setTimeout(() => {
    try {
      const temp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(temp, script.createCachedData(), { mode: 0o600 });
      fs.renameSync(temp, file);
      // Keep the few newest caches (several installed versions may run); drop older builds'.
      const dir = path.dirname(file);
      const caches = fs.readdirSync(dir).filter((n) => /^server-[0-9a-f]{16}-.*\.bin$/.test(n))
        .map((n) => ({ n, t: fs.statSync(path.join(dir, n)).mtimeMs })).sort((a, b) => b.t - a.t);
      for (const old of caches.slice(4)) fs.rmSync(path.join(dir, old.n), { force: true });
    } catch {
      // a cache is an optimisation only
    }
  }, 2000).unref();
}
// The bundle runs as this very module, so `require.main === module` holds when started directly.
script.runInThisContext()(module.exports, require, module, bundle, __dirname);
