#!/usr/bin/env node
// Validate APL documents and their data sources with Amazon's apl-suggester, all in ONE process.
//
//   node validate.js JOBS.json RESULTS.json
//
// JOBS.json: [{"name": ..., "document": {...}, "datasources": {...}}, ...]
// RESULTS.json (written): [{"name": ..., "errors": [{path, message}], "warnings": [...]}, ...]
//
// apl-suggester looks for custom components in imported packages by downloading them. The
// only package our documents import is alexa-viewport-profiles, which defines resources and
// no components, so its entry is answered with "no components" instead of a download (this
// machine has no internet, and the answer would be the same).
'use strict';
const fs = require('fs');
const suggester = require('apl-suggester');
const { ThirdPartyComponentLoader } = require('apl-suggester/dist/src/util/ThirdPartyComponentsLoader');

const NO_COMPONENT_PACKAGES = ['alexa-viewport-profiles'];

function preloadPackages(document) {
  const loader = ThirdPartyComponentLoader.getInstance();
  for (const pkg of document.import || []) {
    if (NO_COMPONENT_PACKAGES.includes(pkg.name)) {
      loader.packageToComponentPromiseMap.set(`${pkg.name}_${pkg.version}`, Promise.resolve([]));
    }
  }
}

function split(infos) {
  const pick = (level) => infos
    .filter((i) => i.level === level)
    .map((i) => ({ path: i.path, message: i.errorMessage }));
  return { errors: pick(suggester.NotificationLevel.ERROR), warnings: pick(suggester.NotificationLevel.WARN) };
}

async function main() {
  const [jobsPath, resultsPath] = process.argv.slice(2);
  if (!jobsPath || !resultsPath) {
    console.error('usage: node validate.js JOBS.json RESULTS.json');
    process.exit(2);
  }
  // apl-suggester prints notes with console.log; keep stdout for our own summary.
  console.log = (...args) => console.error(...args);
  const jobs = JSON.parse(fs.readFileSync(jobsPath, 'utf8'));
  const validator = new suggester.StaticAplTemplateValidator();
  const results = [];
  for (const job of jobs) {
    preloadPackages(job.document);
    const documentInfos = await validator.validate(job.document);
    const dataInfos = await validator.validateDataSources(job.datasources || {});
    const { errors, warnings } = split([...documentInfos, ...dataInfos]);
    results.push({ name: job.name, errors, warnings });
  }
  fs.writeFileSync(resultsPath, JSON.stringify(results, null, 1));
  const errors = results.reduce((n, r) => n + r.errors.length, 0);
  const warnings = results.reduce((n, r) => n + r.warnings.length, 0);
  process.stdout.write(`${results.length} validated, ${errors} errors, ${warnings} warnings\n`);
}

main().catch((err) => {
  console.error(err && err.stack ? err.stack : err);
  process.exit(1);
});
