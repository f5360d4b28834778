// roomcast's chat page (which uses /roomcast.js) in two headless Chromium tabs while the server
// restarts: both tabs chat, the server goes down (JUnit drains and stops it), another node
// publishes meanwhile and both tabs send while offline; the server comes back on the same port and
// both tabs reconnect, resume and end up with the same messages, each once, in offset order.
// usage: node restart-page.js <http base url> <screenshot dir>
// JUnit drives the server through this script's stdout ("STEP ...") and stdin ("stopped",
// "started").
'use strict';
const path = require('path');
const readline = require('readline');
const { run, echoConsole } = require('./browser');

const [base, shotDir] = process.argv.slice(2);
const ROOM = 'restart-room';

const rl = readline.createInterface({ input: process.stdin });
const lines = rl[Symbol.asyncIterator]();
async function step(name, answer) {
  console.log('STEP ' + name);
  for (;;) {
    const { value, done } = await lines.next();
    if (done) throw new Error('stdin closed while waiting for ' + answer);
    if (value.trim() === answer) return;
  }
}

async function openTab(browser, name) {
  const context = await browser.newContext({ viewport: { width: 900, height: 640 } });
  const page = await context.newPage();
  echoConsole(page, name);
  await page.goto(`${base}/#${ROOM}`);
  await page.locator('#status[data-state="open"]').waitFor();
  return { name, page };
}

async function send(tab, text) {
  await tab.page.fill('#message', text);
  await tab.page.press('#message', 'Enter');
}

/** A room message with that text, confirmed (a tab's own message is pending until echoed). */
function seen(tab, text, timeout) {
  return tab.page.locator('#messages li.message:not(.pending)', { hasText: text }).first()
    .waitFor({ timeout });
}

/** [offset, text] of every room message the tab shows, in page order. */
function shown(tab) {
  return tab.page.$$eval('#messages li.message', (lis) =>
    lis.map((li) => [Number(li.dataset.offset), li.querySelector('.text').textContent]));
}

run(async (browser) => {
  const a = await openTab(browser, 'A');
  const b = await openTab(browser, 'B');
  await send(a, 'A: before the restart');
  await send(b, 'B: before the restart');
  for (const t of [a, b]) {
    await seen(t, 'A: before the restart');
    await seen(t, 'B: before the restart');
  }

  await step('stop-server', 'stopped');
  for (const t of [a, b]) await t.page.locator('#status[data-state="reconnecting"]').waitFor();
  // typed while the server is down: queued by roomcast.js, sent after the reconnect
  await send(a, 'A: while the server was down');
  await send(b, 'B: while the server was down');
  const queued = await a.page.evaluate(() => window.roomcastChat.client.queued);

  await step('start-server', 'started');
  rl.close(); // nothing more to read; an open stdin would keep node running
  for (const t of [a, b]) {
    await t.page.locator('#status[data-state="open"]').waitFor({ timeout: 45000 });
    await seen(t, 'node: 3 while the server was down', 20000);
    await seen(t, 'A: while the server was down', 20000);
    await seen(t, 'B: while the server was down', 20000);
  }
  await send(b, 'B: after the restart');
  for (const t of [a, b]) await seen(t, 'B: after the restart');

  const result = { queued };
  for (const t of [a, b]) {
    result[t.name] = {
      messages: await shown(t),
      resumedFrom: await t.page.evaluate(() => window.roomcastChat.client.lastUrl),
      stats: await t.page.evaluate(() => window.roomcastChat.client.stats),
      caughtUp: await t.page.locator('#messages li.system', { hasText: 'caught up' }).count(),
    };
    await t.page.screenshot({ path: path.join(shotDir, `restart-tab-${t.name}.png`), fullPage: true });
  }
  return result;
});
