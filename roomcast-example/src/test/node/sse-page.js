// A browser's own EventSource in headless Chromium: subscribes to GET /events/<room> on the page's
// origin and records every event. The Java test restarts the server meanwhile; the EventSource must
// reconnect by itself (Last-Event-ID) and the page must end with every message exactly once.
// Prints "OPEN" once subscribed, "COUNT <n>" whenever the number of room messages changes, and the
// RESULT line when it has <expected> messages (or fails).
// usage: node sse-page.js <http base url> <room> <expected>
'use strict';
const { run, echoConsole } = require('./browser');

const [base, room, expectedText] = process.argv.slice(2);
const expected = Number(expectedText);

run(async (browser) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  echoConsole(page, 'sse');
  await page.goto(`${base}/health`); // any page of the origin: EventSource is same-origin here
  await page.evaluate((r) => {
    window.got = [];
    window.welcomes = [];
    window.errors = 0;
    window.opens = 0;
    const es = new EventSource(`/events/${encodeURIComponent(r)}`);
    window.es = es;
    es.onopen = () => { window.opens++; };
    es.onerror = () => { window.errors++; };
    es.onmessage = (e) => {
      const m = JSON.parse(e.data);
      if (m.type === 'message') {
        window.got.push({ content: m.content, offset: m.offset, epoch: m.epoch, id: e.lastEventId });
      } else if (m.type === 'system' && m.message.startsWith('Welcome')) {
        window.welcomes.push({ recovered: m.recovered === undefined ? null : m.recovered,
          offset: m.offset, id: e.lastEventId });
      }
    };
  }, room);
  await page.waitForFunction(() => window.welcomes.length === 1);
  console.log('OPEN');
  let last = -1;
  for (;;) {
    const s = await page.evaluate(() => ({ n: window.got.length, state: window.es.readyState }));
    if (s.n !== last) {
      console.log('COUNT ' + s.n);
      last = s.n;
    }
    if (s.n >= expected) break;
    if (s.state === 2) throw new Error('EventSource gave up (readyState CLOSED) after ' + s.n);
    await page.waitForTimeout(50);
  }
  await page.waitForTimeout(500); // a duplicate would show up now
  return page.evaluate(() => ({
    got: window.got, welcomes: window.welcomes, errors: window.errors, opens: window.opens,
  }));
});
