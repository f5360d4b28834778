// roomcast's own chat page (GET /, on /roomcast.js) in headless Chromium: two tabs in one room see
// each other's messages; a tab whose connection drops reconnects with since/epoch and shows what it
// missed.
// usage: node chat-page.js <http base url> <screenshot.png>
'use strict';
const { run, echoConsole } = require('./browser');

const [base, screenshot] = process.argv.slice(2);
const ROOM = 'lobby';

async function openTab(browser, name) {
  const context = await browser.newContext({ viewport: { width: 900, height: 600 } });
  const page = await context.newPage();
  echoConsole(page, name);
  await page.goto(`${base}/#${ROOM}`);
  await page.locator('#status[data-state="open"]').waitFor();
  await page.locator('#messages li.system', { hasText: `Welcome to room ${ROOM}` }).waitFor();
  return { page, context };
}

async function send(page, text) {
  await page.fill('#message', text);
  await page.press('#message', 'Enter');
}

function message(page, text) {
  return page.locator('#messages li.message', { hasText: text });
}

run(async (browser) => {
  const a = await openTab(browser, 'A');
  const b = await openTab(browser, 'B');

  // both tabs see a message, the sender's marked as its own
  await send(a.page, 'hello from A');
  await message(a.page, 'hello from A').and(a.page.locator('.mine')).waitFor();
  await message(b.page, 'hello from A').waitFor();
  const positionBefore = await b.page.evaluate(() => window.roomcastChat.client.position);

  // B loses its connection and cannot get back at once; A talks meanwhile
  await b.context.setOffline(true);
  await b.page.evaluate(() => window.roomcastChat.client.socket.close(4000, 'test: connection lost'));
  await b.page.locator('#status[data-state="reconnecting"]').waitFor();
  await send(a.page, 'sent while B was away');
  await message(a.page, 'sent while B was away').waitFor();

  // back online: B reconnects with backoff, resumes from its position and shows the message
  await b.context.setOffline(false);
  await message(b.page, 'sent while B was away').waitFor({ timeout: 40000 });
  await b.page.locator('#status[data-state="open"]').waitFor();
  const resumedFrom = await b.page.evaluate(() => window.roomcastChat.client.lastUrl);
  const recovered = await b.page.locator('#messages li.system', { hasText: 'caught up' }).count();

  // backoff: full jitter within [0, min(30 s, 1 s * 2^(attempt-1))) for attempt 1, 2, ...
  const backoff = await b.page.evaluate(() => {
    const d = window.roomcastChat.backoffDelay;
    const top = () => 0.999999;
    return { a1max: d(1, top), a4max: d(4, top), a11max: d(11, top), min: d(6, () => 0) };
  });

  await send(b.page, 'B is back');
  await message(a.page, 'B is back').waitFor();
  await b.page.screenshot({ path: screenshot, fullPage: true });
  return { positionBefore, resumedFrom, recovered, backoff };
});
