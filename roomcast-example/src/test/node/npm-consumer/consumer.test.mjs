// A project outside this repository that installed the roomcast npm package (npm pack's tarball)
// and the `ws` package: node --test, against the real server at ROOMCAST_URL (NpmPackageTest
// starts it). It imports the package by its name, so the package's "exports" are what resolve.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { connect, backoffDelay, isTerminal, DEFAULTS } from 'roomcast';

const url = process.env.ROOMCAST_URL;

function next(client, type, predicate = () => true) {
  return new Promise((resolve) => {
    const fn = (e) => {
      if (predicate(e.detail)) {
        client.removeEventListener(type, fn);
        resolve(e.detail);
      }
    };
    client.addEventListener(type, fn);
  });
}

test('the package exports the client and its helpers', () => {
  assert.equal(typeof connect, 'function');
  assert.equal(DEFAULTS.maxDelayMs, 30000);
  assert.equal(backoffDelay(3, () => 0.5), 2000);
  assert.equal(isTerminal(1008), true);
});

test('a client from the package chats, and resumes what it missed after a drop', async () => {
  const room = 'npm-pack-' + process.pid;
  // random () => 0: the backoff's first retry is immediate, so the test waits for no timer
  const a = connect(url, room, { WebSocket, random: () => 0 });
  const b = connect(url, room, { WebSocket });
  try {
    await Promise.all([next(a, 'open'), next(b, 'open')]);
    const echoed = next(a, 'message', (m) => m.content && m.content.text === 'hello from npm');
    assert.equal(a.send({ text: 'hello from npm' }), true);
    const m = await echoed;
    assert.equal(m.client_id, a.clientId);
    assert.equal(Number.isInteger(m.offset), true);

    // a loses its connection (4000: not terminal); b talks meanwhile; a resumes with since/epoch
    const reconnecting = next(a, 'reconnecting');
    a.socket.close(4000, 'test: dropped');
    await reconnecting;
    const missed = next(a, 'message', (x) => x.content && x.content.text === 'while a was away');
    b.send({ text: 'while a was away' });
    const reopened = await next(a, 'open');
    assert.equal(reopened.recovered, true);
    assert.match(a.lastUrl, new RegExp('\\?since=' + m.offset + '&epoch='));
    const got = await missed;
    assert.equal(got.offset, m.offset + 1);
  } finally {
    a.close();
    b.close();
  }
});
