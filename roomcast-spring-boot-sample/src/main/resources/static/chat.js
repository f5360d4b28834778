// roomcast chat page (Spring Boot sample): pick a room, see its messages, send.
//
// Copied from roomcast-example's page, with three changes: it connects to /ws/{room} (the
// starter's default path), it sends through POST /api/rooms/{room}/messages so the server puts the
// signed-in user's name on each message, and it shows that name.
//
// The transport is roomcast.js (the reusable client served at /roomcast.js): it reconnects with
// exponential backoff and full jitter, resumes from the last position it saw so nothing is lost,
// drops duplicates, and queues what you send while offline. This file is only the page.
import { connect, backoffDelay } from './roomcast.js';

const el = {
  roomForm: document.getElementById('room-form'),
  room: document.getElementById('room'),
  status: document.getElementById('status'),
  messages: document.getElementById('messages'),
  sendForm: document.getElementById('send-form'),
  message: document.getElementById('message'),
  send: document.getElementById('send'),
  who: document.getElementById('who'),
};

function wsBase() {
  return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws';
}

let client = null;

function initialRoom() {
  const fromHash = decodeURIComponent(location.hash.replace(/^#/, ''));
  if (fromHash) return fromHash;
  return new URLSearchParams(location.search).get('room') || 'general';
}

function setStatus(kind, text) {
  el.status.dataset.state = kind;
  el.status.textContent = text;
  // while reconnecting, messages go to the client's offline queue and are sent on reconnect
  el.send.disabled = kind === 'closed';
}

function add(kind, text, who, meta, offset) {
  const li = document.createElement('li');
  li.className = kind;
  if (offset !== undefined) li.dataset.offset = String(offset);
  if (who) {
    const w = document.createElement('span');
    w.className = 'who';
    w.textContent = who;
    li.appendChild(w);
  }
  li.appendChild(document.createTextNode(text));
  if (meta) {
    const m = document.createElement('span');
    m.className = 'meta';
    m.textContent = meta;
    li.appendChild(m);
  }
  el.messages.appendChild(li);
  while (el.messages.children.length > 500) el.messages.removeChild(el.messages.firstChild);
  const main = el.messages.parentElement;
  main.scrollTop = main.scrollHeight;
}

function contentText(content) {
  return typeof content === 'string' ? content : JSON.stringify(content);
}

// {"user": "alice", "text": "hi"} from the REST controller; anything else as the example shows it
function isChat(content) {
  return content !== null && typeof content === 'object' &&
    typeof content.user === 'string' && typeof content.text === 'string';
}

function joinRoom(room) {
  if (client) client.close(1000, 'switching rooms');
  if (!client || room !== client.room) el.messages.textContent = '';
  el.room.value = room;
  if (decodeURIComponent(location.hash.replace(/^#/, '')) !== room) {
    history.replaceState(null, '', '#' + encodeURIComponent(room));
  }
  document.title = room + ' - roomcast chat';
  setStatus('connecting', 'connecting to ' + room + '...');

  const c = connect(wsBase(), room);
  client = c;
  window.roomcastChat.client = c;
  c.on('open', (w) => {
    setStatus('open', 'connected to ' + room);
    if (w.recovered === true) {
      add('system', 'Reconnected; caught up on missed messages.');
    } else {
      if (w.recovered === false) {
        add('error', 'Some messages sent while you were away could not be recovered.');
      }
      add('system', w.welcome.message);
    }
  });
  c.on('message', (m) => {
    const mine = m.client_id === c.clientId;
    const chat = isChat(m.content);
    add(mine ? 'message mine' : 'message', chat ? m.content.text : contentText(m.content),
      (chat ? m.content.user : m.client_id) + ':',
      m.timestamp ? new Date(m.timestamp).toLocaleTimeString() : '', m.offset);
  });
  c.on('system', (f) => add('system', f.message));
  c.on('servererror', (e) => add('error', e.message));
  c.on('reconnecting', (r) => {
    const why = r.code + (r.reason ? ' ' + r.reason : '');
    const queued = c.queued ? '; ' + c.queued + ' message(s) waiting' : '';
    setStatus('reconnecting',
      'disconnected (' + why + '); retrying in ' + (r.delayMs / 1000).toFixed(1) + ' s' + queued);
  });
  c.on('close', (e) => {
    if (client !== c) return; // replaced by a room switch
    const why = e.code + (e.reason ? ' ' + e.reason : '');
    setStatus('closed', 'closed (' + why + ')');
    add('error', 'Connection closed: ' + why + '. Press Join to reconnect.');
  });
}

el.roomForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const room = el.room.value.trim();
  if (room) joinRoom(room);
});

el.sendForm.addEventListener('submit', async (e) => {
  e.preventDefault();
  const text = el.message.value.trim();
  if (!text || !client) return;
  try {
    const r = await fetch('/api/rooms/' + encodeURIComponent(client.room) + '/messages', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ text }),
    });
    if (r.ok) {
      el.message.value = '';
    } else {
      const body = await r.json().catch(() => ({}));
      add('error', 'Not sent: ' + (body.error || r.status));
    }
  } catch (err) {
    add('error', 'Not sent: ' + err.message);
  }
  el.message.focus();
});

fetch('/api/me').then((r) => r.json()).then((me) => {
  if (me.user) {
    el.who.textContent = 'signed in as ' + me.user;
  } else {
    el.who.innerHTML = 'guest · <a href="/signin">sign in</a>';
  }
}).catch(() => {});

// For tests and curious people in the console.
window.roomcastChat = { client: null, backoffDelay, joinRoom };

joinRoom(initialRoom());
