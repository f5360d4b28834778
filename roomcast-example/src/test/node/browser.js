// Shared bits for the headless-Chromium checks: launch Debian's chromium through playwright-core
// (never a downloaded browser), small waiting helpers, and a uniform result line for JUnit.
'use strict';
const { chromium } = require('playwright-core');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Runs main(browser); prints RESULT {"ok":true,...} or RESULT {"ok":false,"error":...}. */
async function run(main) {
  const timer = setTimeout(() => {
    console.log('RESULT ' + JSON.stringify({ ok: false, error: 'script timed out' }));
    process.exit(3);
  }, Number(process.env.BROWSER_TEST_TIMEOUT_MS || 60000));
  let browser;
  try {
    browser = await launch();
    const result = await main(browser);
    console.log('RESULT ' + JSON.stringify(Object.assign({ ok: true }, result)));
    process.exitCode = 0;
  } catch (e) {
    console.log('RESULT ' + JSON.stringify({ ok: false, error: String(e && e.stack || e) }));
    process.exitCode = 1;
  } finally {
    if (browser) await browser.close().catch(() => {});
    clearTimeout(timer);
  }
}

/** Logs the page's console and errors to our stdout, prefixed. */
function echoConsole(page, name) {
  page.on('console', (m) => console.log(`[${name} console.${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => console.log(`[${name} pageerror] ${e}`));
}

module.exports = { launch, run, echoConsole };
