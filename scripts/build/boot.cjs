// The main script of the mk executable: it runs mk's bundle (an SEA asset) with a V8 code cache
// made after a training run, not just after compiling. Node's own `useCodeCache` caches only
// what V8 compiles before the script runs, that is little more than the bundle's top level: every
// module body in it is a function compiled on its first call, at each start. A cache written at
// the end of a run of `mk` holds those functions too, so a start compiles next to nothing.
//
// Also run by the build with Node itself (not as an executable), to train: MK_BUNDLE names the
// bundle, MK_WRITE_CODE_CACHE the file the cache is written to when the run ends.
'use strict';
const sea = require('node:sea');
const vm = require('node:vm');
const { readFileSync, writeFileSync } = require('node:fs');

const inExecutable = sea.isSea();
const source = inExecutable ? sea.getAsset('mk/bundle.js', 'utf8') : readFileSync(process.env.MK_BUNDLE, 'utf8');
let cachedData;
if (inExecutable && sea.getAssetKeys().includes('mk/bundle.cache')) cachedData = Buffer.from(sea.getAsset('mk/bundle.cache'));

const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
  filename: 'mk.js',
  cachedData,
  importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});
if (cachedData && script.cachedDataRejected && process.env.MK_DEBUG_CODE_CACHE) process.stderr.write('mk: the code cache was rejected\n');

const out = process.env.MK_WRITE_CODE_CACHE;
if (!inExecutable && out) process.once('exit', () => writeFileSync(out, script.createCachedData()));

script.runInThisContext()(module.exports, require, module, __filename, __dirname);
