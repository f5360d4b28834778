// The seed document's browser page, unchanged but for its URL, in headless Chromium:
// it connects, shows the welcome, sends a message and shows it coming back.
// usage: node seed-page.js <file:// url of the page copy> <screenshot.png> <text to send>
'use strict';
const { run, echoConsole } = require('./browser');

const [pageUrl, screenshot, text] = process.argv.slice(2);

run(async (browser) => {
  const page = await browser.newPage({ viewport: { width: 900, height: 600 } });
  echoConsole(page, 'seed');
  await page.goto(pageUrl);
  await page.locator('#messages p.system', { hasText: 'Connected to chat room' }).waitFor();
  await page.locator('#messages p.system', { hasText: 'Welcome to room general' }).waitFor();
  await page.fill('#messageInput', text);
  await page.click('button');
  await page.locator('#messages p.message', { hasText: ': ' + text }).waitFor();
  await page.screenshot({ path: screenshot, fullPage: true });
  const lines = await page.$$eval('#messages p', (ps) => ps.map((p) => p.className + ' | ' + p.textContent));
  return { lines };
});
