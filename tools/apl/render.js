#!/usr/bin/env node
// Render APL documents to PNG with Amazon's apl-viewhost-web in headless Debian Chromium.
//
//   node render.js JOBS.json RESULTS.json
//
// JOBS.json: [{"name", "file", "document", "datasources",
//              "viewport": {"pixelWidth", "pixelHeight", "dpi", "shape", "mode"}}, ...]
// RESULTS.json (written): [{"name", "file", "coreErrors": [...], "blockedRequests": [...]}, ...]
//
// The page is a local file; every request that is not a local file is refused and reported,
// except the view host's font files (Amazon Ember, Bookerly), which are answered with
// Debian's Liberation fonts (same role, similar metrics; the real fonts are Amazon's and are
// not on this machine). The `alexa-viewport-profiles` import is answered with
// viewport-profiles.js.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');
const { viewportProfilesPackage } = require('./viewport-profiles');

const CHROMIUM = process.env.HEELCOACH_CHROMIUM || '/usr/bin/chromium';
const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--allow-file-access-from-files',
];
const SETTLE_MS = 700;
const FONT_DIR = '/usr/share/fonts/truetype/liberation';

function standInFont(url) {
  const file = url.split('/').pop().split('?')[0];
  if (!/\.(ttf|otf|woff2?)$/i.test(file)) return null;
  const serif = /Bookerly/i.test(file);
  const bold = /(_Bd|_He|Bold)/i.test(file);
  const italic = /Italic/i.test(file);
  const style = bold ? (italic ? 'BoldItalic' : 'Bold') : (italic ? 'Italic' : 'Regular');
  const candidate = path.join(FONT_DIR, `Liberation${serif ? 'Serif' : 'Sans'}-${style}.ttf`);
  return fs.existsSync(candidate) ? candidate : null;
}

async function openPage(browser, log) {
  const page = await browser.newPage();
  page.on('console', (m) => {
    const text = m.text();
    if (m.type() === 'error' && !/Failed to load resource/.test(text)) log.coreErrors.push(text.slice(0, 400));
  });
  page.on('pageerror', (e) => log.coreErrors.push(`page error: ${e.message}`));
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file://')) return route.continue();
    const font = standInFont(url);
    if (font) {
      return route.fulfill({ path: font, contentType: 'font/ttf', headers: { 'Access-Control-Allow-Origin': '*' } });
    }
    log.blockedRequests.push(url.split('?')[0]);
    return route.abort();
  });
  await page.goto('file://' + path.join(__dirname, 'host.html'));
  return page;
}

async function renderOne(page, job, packages, log) {
  const vp = job.viewport;
  await page.setViewportSize({ width: vp.pixelWidth, height: vp.pixelHeight });
  const report = await page.evaluate(async ({ job, packages }) => {
    const R = window.AplRenderer;
    if (!window.Module.calledRun) {
      await new Promise((resolve) => {
        const before = window.Module.onRuntimeInitialized;
        window.Module.onRuntimeInitialized = () => { if (before) before(); resolve(); };
      });
    }
    // Fonts first, so text is measured with the font it is drawn in.
    if (R.FontUtils && R.FontUtils.initialize) await R.FontUtils.initialize();
    const vp = job.viewport;
    const view = document.getElementById('view');
    view.style.width = vp.pixelWidth + 'px';
    view.style.height = vp.pixelHeight + 'px';
    if (vp.shape === 'ROUND') { view.style.borderRadius = '50%'; view.style.overflow = 'hidden'; }
    const content = R.Content.create(JSON.stringify(job.document));
    const missing = [];
    const requests = [];
    content.getRequestedPackages().forEach((r) => requests.push(r));
    for (const request of requests) {
      const name = request.reference().name();
      if (packages[name]) content.addPackage(request, JSON.stringify(packages[name]));
      else missing.push(name);
    }
    for (const [name, value] of Object.entries(job.datasources || {})) content.addData(name, JSON.stringify(value));
    if (!content.isReady()) return { error: `content not ready (missing packages: ${missing.join(', ')})` };
    const runtimeErrors = [];
    const renderer = R.default.create({
      content,
      view,
      environment: { agentName: 'heel-coach-screens', agentVersion: '1.0', allowOpenUrl: false, disallowVideo: true },
      viewport: { width: vp.pixelWidth, height: vp.pixelHeight, dpi: vp.dpi, shape: vp.shape, mode: vp.mode },
      theme: 'dark',
      utcTime: Date.now(),
      localTimeAdjustment: 0,
      onRunTimeError: (errors) => runtimeErrors.push(JSON.stringify(errors).slice(0, 400)),
      onSendEvent: () => {},
    });
    await renderer.init();
    return { runtimeErrors };
  }, { job, packages });
  await page.waitForTimeout(SETTLE_MS);
  await page.screenshot({ path: job.file });
  if (report.error) log.coreErrors.push(report.error);
  return {
    name: job.name,
    file: job.file,
    coreErrors: [...log.coreErrors, ...(report.runtimeErrors || [])],
    blockedRequests: [...new Set(log.blockedRequests)],
  };
}

async function main() {
  const [jobsPath, resultsPath] = process.argv.slice(2);
  if (!jobsPath || !resultsPath) {
    console.error('usage: node render.js JOBS.json RESULTS.json');
    process.exit(2);
  }
  const jobs = JSON.parse(fs.readFileSync(jobsPath, 'utf8'));
  const packages = { 'alexa-viewport-profiles': viewportProfilesPackage() };
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'heelcoach-chromium-'));
  // A fresh profile directory per run (Playwright passes it as --user-data-dir).
  const browser = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM, headless: true, args: FLAGS,
  });
  const results = [];
  const log = { coreErrors: [], blockedRequests: [] };
  try {
    for (const job of jobs) {
      log.coreErrors.length = 0;
      log.blockedRequests.length = 0;
      fs.mkdirSync(path.dirname(job.file), { recursive: true });
      // A new page per screen: the view host starts clean every time.
      const page = await openPage(browser, log);
      results.push(await renderOne(page, job, packages, log));
      await page.close();
      process.stdout.write(`${job.file}\n`);
    }
  } finally {
    await browser.close();
    fs.rmSync(profileDir, { recursive: true, force: true });
  }
  fs.writeFileSync(resultsPath, JSON.stringify(results, null, 1));
}

main().catch((err) => {
  console.error(err && err.stack ? err.stack : err);
  process.exit(1);
});
