// Entry point VS Code calls in the extension host (extensionTestsPath): runs the mocha suite, rejects on failures.
const fs = require('node:fs');
const path = require('node:path');

exports.run = async function run() {
  // mocha 12 is ESM-only; Node 20's require(esm) hands back the namespace object.
  const m = require('mocha');
  const Mocha = m.default ?? m;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  for (const file of fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) mocha.addFile(path.join(__dirname, file));
  await mocha.loadFilesAsync();
  const stats = await new Promise((resolve) => {
    const runner = mocha.run(() => resolve(runner.stats));
  });
  if (stats.failures > 0) throw new Error(`${stats.failures} 件のテストが失敗しました / ${stats.failures} test(s) failed`);
  // A suite that silently found no tests must not count as a pass.
  if (stats.passes === 0) throw new Error('テストが一つも実行されませんでした / no tests ran');
};
