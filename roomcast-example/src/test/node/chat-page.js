// roomcast's own chat page (GET /, on /roomcast.js) in headless Chromium: two tabs in one room see
// each other's messages; a tab whose connection drops says so in words with a live countdown and a
// "Retry now" button, shows what is typed meanwhile as pending, reconnects with since/epoch when
// the button is pressed, shows what it missed and confirms its pending message by offset;
// server-published objects render as text and fields; no request fails (favicon included); the
// page fits a phone-sized viewport; a message the server refuses is marked as not sent, with why.
// Screenshots: desktop (connected, reconnecting) and narrow.
// usage: node chat-page.js <http base url> <screenshot dir>
'use strict';
const path = require('path');
const { run, echoConsole } = require('./browser');

const [base, shotDir] = process.argv.slice(2);
const ROOM = 'lobby';
const failedRequests = [];

async function openTab(browser, name, contextOptions) {
  const context = await browser.newContext(
    Object.assign({ viewport: { width: 1000, height: 640 } }, contextOptions || {}));
  const page = await context.newPage();
  echoConsole(page, name);
  page.on('response', (r) => {
    if (r.status() >= 400) failedRequests.push(`${name}: ${r.status()} ${r.url()}`);
  });
  page.on('requestfailed', (r) => {
    // a WebSocket the test closes on purpose is not a failed page request
    if (!r.url().startsWith('ws')) failedRequests.push(`${name}: failed ${r.url()}`);
  });
  await page.goto(`${base}/#${ROOM}`);
  await page.locator('#status[data-state="open"]').waitFor();
  await page.locator('#messages li.system', { hasText: `Welcome to room ${ROOM}` }).waitFor();
  return { page, context };
}

async function send(page, text) {
  await page.fill('#message', text);
  await page.press('#message', 'Enter');
}

/** A confirmed (echoed) room message with that text. */
function message(page, text) {
  return page.locator('#messages li.message:not(.pending)', { hasText: text });
}

function statusText(page) {
  return page.locator('#status').textContent();
}

async function publish(content) {
  const res = await fetch(`${base}/rooms/${ROOM}/messages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ content }),
  });
  if (res.status !== 200) throw new Error('publish answered ' + res.status + ': ' + (await res.text()));
  return res.json();
}

run(async (browser) => {
  const a = await openTab(browser, 'A');
  const b = await openTab(browser, 'B');
  const favicon = await a.page.locator('link[rel="icon"]').getAttribute('href');

  // both tabs see a message, the sender's marked as its own once the room echoed it
  await send(a.page, 'hello from A');
  await message(a.page, 'hello from A').and(a.page.locator('.mine')).waitFor();
  await message(b.page, 'hello from A').waitFor();
  const positionBefore = await b.page.evaluate(() => window.roomcastChat.client.position);
  const bFirstClientId = await b.page.evaluate(() => window.roomcastChat.client.clientId);

  // B loses its connection; its next attempt is 30 s away (a long first backoff step, so the
  // countdown and the button can be seen and the reconnect below can only come from the button)
  await b.page.evaluate(() => {
    const c = window.roomcastChat.client;
    c.options.initialDelayMs = 60000;
    c.random = () => 0.99;
    c.socket.close(4000, 'test: connection lost');
  });
  await b.page.locator('#status[data-state="reconnecting"]').waitFor();
  await b.page.locator('#retry:not([hidden])').waitFor();
  const pillDuring = await statusText(b.page);
  const titleDuring = await b.page.locator('#status').getAttribute('title');
  // the countdown is live: its text changes by itself within a few seconds
  await b.page.waitForFunction(
    (before) => document.getElementById('status').textContent !== before,
    pillDuring,
    { timeout: 5000 });
  const pillLater = await statusText(b.page);

  // A talks meanwhile; B types: shown as pending, with a hint that it waits for the connection
  await send(a.page, 'sent while B was away');
  await message(a.page, 'sent while B was away').waitFor();
  await send(b.page, 'typed while offline');
  await b.page.locator('#messages li.message.mine.pending', { hasText: 'typed while offline' }).waitFor();
  const pendingMeta = await b.page
    .locator('#messages li.pending .meta').first().textContent();
  const hint = await b.page.locator('#hint').textContent();
  await b.page.screenshot({ path: path.join(shotDir, 'chat-desktop-reconnecting.png') });

  // "Retry now": connects at once instead of in 30 s, resumes from B's position, shows what
  // it missed and confirms the pending message with its offset
  const retryClickedAt = Date.now();
  await b.page.click('#retry');
  await b.page.locator('#status[data-state="open"]').waitFor({ timeout: 15000 });
  const reconnectMs = Date.now() - retryClickedAt;
  await message(b.page, 'sent while B was away').waitFor();
  const confirmed = message(b.page, 'typed while offline').and(b.page.locator('.mine'));
  await confirmed.waitFor();
  const confirmedOffset = await confirmed.getAttribute('data-offset');
  await message(a.page, 'typed while offline').waitFor();
  const pendingLeft = await b.page.locator('#messages li.pending').count();
  const hintHidden = await b.page.locator('#hint').isHidden();
  const resumedFrom = await b.page.evaluate(() => window.roomcastChat.client.lastUrl);
  const recovered = await b.page.locator('#messages li.system', { hasText: 'caught up' }).count();
  const offsets = await b.page.$$eval('#messages li.message', (lis) =>
    lis.map((li) => Number(li.dataset.offset)));

  // structured content from the server: its text, its other fields as a table, no raw JSON
  await publish({ text: 'Deploy finished', service: 'api', build: 42, tags: ['blue', 'green'] });
  const structured = message(b.page, 'Deploy finished');
  await structured.waitFor();
  const fields = await structured.locator('dl.fields dt').allTextContents();
  const structuredText = await structured.textContent();

  // backoff: full jitter within [0, min(30 s, 1 s * 2^(attempt-1))) for attempt 1, 2, ...
  const backoff = await b.page.evaluate(() => {
    const d = window.roomcastChat.backoffDelay;
    const top = () => 0.999999;
    return { a1max: d(1, top), a4max: d(4, top), a11max: d(11, top), min: d(6, () => 0) };
  });

  await send(b.page, 'B is back');
  await message(a.page, 'B is back').waitFor();
  await a.page.screenshot({ path: path.join(shotDir, 'chat-desktop.png') });

  // a phone: 390 x 844 CSS pixels, touch, mobile layout; nothing wider than the screen
  const phone = await openTab(browser, 'phone', {
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
  await send(phone.page, 'hello from a phone');
  await message(phone.page, 'hello from a phone').waitFor();
  const narrow = await phone.page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    sendVisible: document.getElementById('send').getBoundingClientRect().right <= window.innerWidth,
    statusVisible: document.getElementById('status').getBoundingClientRect().right <= window.innerWidth,
  }));

  // the phone joined last: it was shown the conversation before it (history on join)
  const phoneHistory = await phone.page.$$eval('#messages li.message', (lis) =>
    lis.map((li) => li.textContent));
  // every tab lists the three members, live; B kept its client id across its reconnect
  await a.page.waitForFunction(
    () => document.querySelectorAll('#member-list li').length === 3, null, { timeout: 15000 });
  const membersPanel = await a.page.evaluate(() => {
    const m = document.getElementById('members');
    return {
      hidden: m.hidden,
      names: Array.from(m.querySelectorAll('li')).map((li) => li.textContent),
      ids: Array.from(m.querySelectorAll('li')).map((li) => li.dataset.clientId),
    };
  });
  const bClientId = await b.page.evaluate(() => window.roomcastChat.client.clientId);
  const joinedLine = await a.page
    .locator('#messages li.system', { hasText: 'joined the room' }).count();
  await a.page.screenshot({ path: path.join(shotDir, 'chat-desktop-members.png') });
  await phone.page.screenshot({ path: path.join(shotDir, 'chat-narrow.png') });
  // a message the server refuses (content over the 32 KB default) is marked on the message itself,
  // by the id it was sent with, not left "sending..."
  await send(a.page, 'x'.repeat(40000));
  const refused = a.page.locator('#messages li.failed');
  await refused.waitFor({ timeout: 15000 });
  const refusedMeta = await refused.locator('.meta').textContent();
  const pendingAfterRefusal = await a.page.locator('#messages li.pending').count();
  const errorLinesAfterRefusal = await a.page
    .locator('#messages li.error', { hasText: 'content too large' }).count();
  return {
    favicon: favicon && favicon.slice(0, 22),
    failedRequests,
    positionBefore,
    pillDuring,
    titleDuring,
    pillLater,
    pendingMeta,
    hint,
    reconnectMs,
    confirmedOffset: Number(confirmedOffset),
    pendingLeft,
    hintHidden,
    offsets,
    resumedFrom,
    recovered,
    fields,
    structuredText,
    backoff,
    narrow,
    membersPanel,
    phoneHistory,
    bClientId,
    bFirstClientId,
    joinedLine,
    refusedMeta,
    pendingAfterRefusal,
    errorLinesAfterRefusal,
  };
});
