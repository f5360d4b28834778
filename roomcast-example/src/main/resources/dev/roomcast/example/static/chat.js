// roomcast chat page: pick a room, see its messages, send.
//
// The transport is roomcast.js (the reusable client served at /roomcast.js): it reconnects with
// exponential backoff and full jitter, resumes from the last position it saw so nothing is lost,
// drops duplicates, and queues what you send while offline. This file is only the page: it says
// in words what the connection is doing, counts down to the next attempt (with "Retry now"), shows
// what you sent as pending until the room echoes it back with its offset, and renders structured
// (object) content as text and fields.
import { connect, backoffDelay } from './roomcast.js';

const el = {
  roomForm: document.getElementById('room-form'),
  room: document.getElementById('room'),
  status: document.getElementById('status'),
  retry: document.getElementById('retry'),
  messages: document.getElementById('messages'),
  sendForm: document.getElementById('send-form'),
  message: document.getElementById('message'),
  send: document.getElementById('send'),
  hint: document.getElementById('hint'),
  members: document.getElementById('members'),
};

/** How many recent messages a tab shows when it joins a room. */
const HISTORY_ON_JOIN = 50;

let client = null;
/** Every client id this tab had in the current room (a new one per connection). */
let myIds = new Set();
/** What this tab sent and the room has not echoed yet, oldest first: {li, key, waiting, id}. */
let pending = [];
// ids this tab puts on what it sends, so that an error refusing one names it
let sent = 0;
let countdown = null;

// What a close means, in words. Codes: docs/protocol.md (and dev.roomcast.CloseCodes).
const CLOSE_WORDS = {
  1000: 'The connection was closed',
  1001: 'The server went away',
  1003: 'The server could not read a message',
  1006: 'The connection was lost',
  1008: 'Not allowed in this room',
  1009: 'A message was too large',
  1011: 'The server had a problem',
  1012: 'The server is restarting',
  1013: 'The server is busy',
  4000: 'This tab fell behind',
  4001: 'Refreshing the connection',
  4002: 'The network stopped answering',
  4100: 'Catching up on missed messages',
};

function closeWords(code) {
  if (CLOSE_WORDS[code]) return CLOSE_WORDS[code];
  if (code >= 4500 && code <= 4999) return 'The server refused this connection';
  return 'The connection dropped';
}

function initialRoom() {
  const fromHash = decodeURIComponent(location.hash.replace(/^#/, ''));
  if (fromHash) return fromHash;
  return new URLSearchParams(location.search).get('room') || 'general';
}

/**
 * The status pill: a state for styling and tests, words for people. The raw close code and reason
 * go to the tooltip only.
 */
function setStatus(state, text, detail) {
  el.status.dataset.state = state;
  el.status.textContent = text;
  el.status.title = detail || '';
  // while reconnecting, messages go to the client's offline queue and are sent on reconnect
  el.send.disabled = state === 'closed';
  if (state !== 'reconnecting') showRetry(false);
}

function showRetry(visible) {
  el.retry.hidden = !visible;
}

function stopCountdown() {
  if (countdown !== null) clearInterval(countdown);
  countdown = null;
}

/** "Reconnecting in 4 s", updated every quarter second until the attempt starts. */
function startCountdown(words, delayMs, detail) {
  stopCountdown();
  const at = Date.now() + delayMs;
  const offline = typeof navigator !== 'undefined' && navigator.onLine === false;
  const prefix = offline ? 'You are offline' : words;
  const tick = () => {
    const left = Math.ceil((at - Date.now()) / 1000);
    if (left <= 0) {
      stopCountdown();
      setStatus('reconnecting', prefix + '. Reconnecting\u2026', detail);
      showRetry(false);
      return;
    }
    setStatus('reconnecting', prefix + '. Reconnecting in ' + left + ' s', detail);
    showRetry(true);
  };
  tick();
  if (countdown === null && Date.now() < at) countdown = setInterval(tick, 250);
}

function updateHint() {
  const waiting = pending.filter((p) => p.waiting).length;
  el.hint.hidden = waiting === 0;
  el.hint.textContent =
    waiting === 1
      ? '1 message will be sent when the connection is back.'
      : waiting + ' messages will be sent when the connection is back.';
}

/** The first pending entry, before which everything that arrives is inserted. */
function firstPendingLi() {
  return pending.length ? pending[0].li : null;
}

/** Adds a line: confirmed lines stay in arrival (offset) order above the pending ones. */
function place(li) {
  el.messages.insertBefore(li, firstPendingLi());
  while (el.messages.children.length > 500) el.messages.removeChild(el.messages.firstChild);
  const main = el.messages.parentElement;
  main.scrollTop = main.scrollHeight;
}

function line(kind, text) {
  const li = document.createElement('li');
  li.className = kind;
  li.textContent = text;
  place(li);
  return li;
}

function span(cls, text) {
  const s = document.createElement('span');
  s.className = cls;
  s.textContent = text;
  return s;
}

/** A value inside structured content, short: text as is, anything else as compact JSON. */
function valueNode(v) {
  if (v === null || typeof v !== 'object') return document.createTextNode(String(v));
  if (Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object')) {
    return document.createTextNode(v.map(String).join(', '));
  }
  const code = document.createElement('code');
  const json = JSON.stringify(v);
  code.textContent = json.length > 200 ? json.slice(0, 199) + '\u2026' : json;
  return code;
}

/**
 * Message content as people read it: a string as text; an object's `text` (or `message`, `title`)
 * as the text and its other fields as a small table; anything else as a short value.
 */
function contentNodes(content) {
  if (content === null || typeof content !== 'object' || Array.isArray(content)) {
    return [span('text', typeof content === 'string' ? content : valueNode(content).textContent)];
  }
  const textKey = ['text', 'message', 'title'].find((k) => typeof content[k] === 'string');
  const nodes = [span('text', textKey ? content[textKey] : '')];
  const rest = Object.keys(content).filter((k) => k !== textKey);
  if (rest.length) {
    const dl = document.createElement('dl');
    dl.className = 'fields';
    for (const k of rest.slice(0, 12)) {
      const dt = document.createElement('dt');
      dt.textContent = k;
      const dd = document.createElement('dd');
      dd.appendChild(valueNode(content[k]));
      dl.append(dt, dd);
    }
    nodes.push(dl);
  }
  return nodes;
}

function messageLi(who, content, meta, mine) {
  const li = document.createElement('li');
  li.className = mine ? 'message mine' : 'message';
  li.appendChild(span('who', who));
  for (const n of contentNodes(content)) li.appendChild(n);
  li.appendChild(span('meta', meta));
  return li;
}

function timeOf(m) {
  return m.timestamp ? new Date(m.timestamp).toLocaleTimeString() : '';
}

function displayName(m) {
  return m.name || m.user || m.client_id;
}

function whoOf(m) {
  if (myIds.has(m.client_id)) return 'You';
  if (m.client_id === 'server') return 'Server';
  return displayName(m) + ':';
}

/** The member list: everyone in the room on every instance, kept live by presence frames. */
function showMembers(members) {
  el.members.hidden = false;
  el.members.textContent = '';
  const h = document.createElement('h2');
  h.textContent = 'In the room (' + members.length + ')';
  el.members.appendChild(h);
  const ul = document.createElement('ul');
  ul.id = 'member-list';
  for (const m of members) {
    const li = document.createElement('li');
    li.dataset.clientId = m.client_id;
    li.textContent = displayName(m) + (myIds.has(m.client_id) ? ' (you)' : '');
    if (m.joined_at) li.title = 'joined ' + new Date(m.joined_at).toLocaleString();
    ul.appendChild(li);
  }
  el.members.appendChild(ul);
}

function onMessage(m) {
  const key = JSON.stringify(m.content);
  if (myIds.has(m.client_id)) {
    const i = pending.findIndex((p) => p.key === key);
    if (i >= 0) {
      // the room echoed what this tab sent: it is confirmed, with its offset, and takes its place
      // in offset order (just above whatever is still pending)
      const [p] = pending.splice(i, 1);
      p.li.classList.remove('pending');
      if (m.offset !== undefined) p.li.dataset.offset = String(m.offset);
      p.li.querySelector('.meta').textContent = timeOf(m);
      el.messages.removeChild(p.li);
      place(p.li);
      updateHint();
      return;
    }
  }
  const li = messageLi(whoOf(m), m.content, timeOf(m), myIds.has(m.client_id));
  if (m.offset !== undefined) li.dataset.offset = String(m.offset);
  place(li);
}

/** What this tab typed: shown at once, pending until the room echoes it or the server refuses it. */
function addPending(content, waiting, id) {
  const li = messageLi('You', content, waiting ? 'waiting for connection' : 'sending\u2026', true);
  li.classList.add('pending');
  el.messages.appendChild(li);
  pending.push({ li, key: JSON.stringify(content), waiting, id });
  updateHint();
  const main = el.messages.parentElement;
  main.scrollTop = main.scrollHeight;
}

/** The queued lines were handed to the new connection: now they wait for the echo. */
function markSending() {
  for (const p of pending) {
    p.waiting = false;
    p.li.querySelector('.meta').textContent = 'sending\u2026';
  }
  updateHint();
}

/** The server refused the message sent with this id: it stays shown, marked with why. */
function refusePending(id, why) {
  const i = pending.findIndex((p) => p.id === id);
  if (i < 0) return false;
  const [p] = pending.splice(i, 1);
  p.li.classList.remove('pending');
  p.li.classList.add('failed');
  p.li.querySelector('.meta').textContent = 'not sent: ' + why;
  updateHint();
  return true;
}

function dropPending(why) {
  for (const p of pending) {
    p.li.classList.remove('pending');
    p.li.classList.add('failed');
    p.li.querySelector('.meta').textContent = why;
  }
  pending = [];
  updateHint();
}

// Where the WebSocket endpoint is: the origin's root on the example server, or where
// <meta name="roomcast-websocket" content="ws"> says, relative to this page (a WAR under a
// context path serves rooms at ws/{room} next to its page).
function webSocketBase() {
  const meta = document.querySelector('meta[name="roomcast-websocket"]');
  if (!meta) return '';
  const url = new URL(meta.content, location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = '';
  url.hash = '';
  return url.href;
}

function joinRoom(room) {
  if (client) client.close(1000, 'switching rooms');
  stopCountdown();
  if (!client || room !== client.room) {
    el.messages.textContent = '';
    pending = [];
    myIds = new Set();
  } else {
    dropPending('not sent');
  }
  updateHint();
  el.room.value = room;
  if (decodeURIComponent(location.hash.replace(/^#/, '')) !== room) {
    history.replaceState(null, '', '#' + encodeURIComponent(room));
  }
  document.title = room + ' - roomcast chat';
  setStatus('connecting', 'Connecting to ' + room + '\u2026');

  const c = connect(webSocketBase(), room, { history: HISTORY_ON_JOIN, presence: true });
  client = c;
  window.roomcastChat.client = c;
  c.on('open', (w) => {
    if (client !== c) return;
    stopCountdown();
    if (w.clientId) myIds.add(w.clientId);
    setStatus('open', 'Connected to ' + room);
    markSending();
    if (w.recovered === true) {
      line('system', 'Reconnected; caught up on missed messages.');
    } else {
      if (w.recovered === false) {
        line('error', 'Some messages sent while you were away could not be recovered.');
      }
      line('system', w.welcome.message);
    }
  });
  c.on('message', (m) => {
    if (client === c) onMessage(m);
  });
  c.on('presence', (p) => {
    if (client !== c) return;
    showMembers(p.members);
    // with presence frames the server sends no join/leave texts: say it here
    for (const m of p.joins) {
      if (!myIds.has(m.client_id)) line('system', displayName(m) + ' joined the room');
    }
    for (const m of p.leaves) line('system', displayName(m) + ' left the room');
  });
  c.on('system', (f) => {
    if (client === c && f.message) line('system', f.message);
  });
  c.on('servererror', (e) => {
    if (client !== c) return;
    if (e.id === undefined || !refusePending(e.id, e.message)) line('error', e.message);
  });
  c.on('reconnecting', (r) => {
    if (client !== c) return;
    const detail = 'close code ' + r.code + (r.reason ? ': ' + r.reason : '');
    startCountdown(closeWords(r.code), r.delayMs, detail);
  });
  c.on('close', (e) => {
    if (client !== c) return; // replaced by a room switch
    stopCountdown();
    const detail = 'close code ' + e.code + (e.reason ? ': ' + e.reason : '');
    setStatus('closed', 'Disconnected: ' + closeWords(e.code).toLowerCase(), detail);
    dropPending('not sent');
    line('error', closeWords(e.code) + '. Press Join to connect again.');
  });
}

el.roomForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const room = el.room.value.trim();
  if (room) joinRoom(room);
});

el.retry.addEventListener('click', () => {
  if (client && client.retryNow()) {
    stopCountdown();
    setStatus('reconnecting', 'Reconnecting\u2026', el.status.title);
  }
});

el.sendForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const text = el.message.value.trim();
  if (!text || !client) return;
  const waiting = client.state !== 'open';
  const id = 'm' + ++sent;
  if (client.send(text, { id })) {
    addPending(text, waiting, id);
    el.message.value = '';
  } else {
    line('error', 'Not sent: too many messages are waiting for the connection.');
  }
  el.message.focus();
});

// For tests and curious people in the console.
window.roomcastChat = { client: null, backoffDelay, joinRoom };

joinRoom(initialRoom());
