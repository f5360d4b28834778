// roomcast chat page: pick a room, see its messages, send.
//
// Reconnects after any non-terminal close with exponential backoff and full jitter
// (1 s initial, x2 per attempt, 30 s cap: the delay is uniform in [0, min(30 s, 1 s * 2^attempt)]),
// and resumes from the last position it saw with ?since=<offset>&epoch=<epoch>, so nothing is
// lost across a reconnect (or the welcome says recovered: false and the page shows it).
// A later version replaces this file's transport part with the reusable /roomcast.js client.
(function () {
  'use strict';

  var BACKOFF = { initialMs: 1000, factor: 2, maxMs: 30000 };

  // Close codes after which reconnecting cannot help (see dev.roomcast.CloseCodes).
  function isTerminal(code) {
    return code === 1000 || code === 1003 || code === 1008 || (code >= 4500 && code <= 4999);
  }
  // Close codes that mean "reconnect now": the server is restarting (1012) or the
  // connection reached its maximum age (4001).
  function reconnectImmediately(code) {
    return code === 1012 || code === 4001;
  }

  /** Full-jitter exponential backoff: uniform in [0, min(max, initial * factor^attempt)). */
  function backoffDelay(attempt, random) {
    var r = random === undefined ? Math.random() : random;
    var ceiling = Math.min(BACKOFF.maxMs, BACKOFF.initialMs * Math.pow(BACKOFF.factor, Math.min(attempt, 30)));
    return Math.floor(r * ceiling);
  }

  var el = {
    roomForm: document.getElementById('room-form'),
    room: document.getElementById('room'),
    status: document.getElementById('status'),
    messages: document.getElementById('messages'),
    sendForm: document.getElementById('send-form'),
    message: document.getElementById('message'),
    send: document.getElementById('send')
  };

  var state = {
    room: null,
    ws: null,
    attempt: 0,
    timer: null,
    clientId: null,
    epoch: null, // last position seen in this room
    offset: null,
    awaitingWelcome: false,
    connects: 0,
    lastUrl: null
  };

  function initialRoom() {
    var fromHash = decodeURIComponent(location.hash.replace(/^#/, ''));
    if (fromHash) return fromHash;
    var fromQuery = new URLSearchParams(location.search).get('room');
    return fromQuery || 'general';
  }

  function setStatus(kind, text) {
    el.status.dataset.state = kind;
    el.status.textContent = text;
    el.send.disabled = kind !== 'open';
  }

  function add(kind, text, who, meta) {
    var li = document.createElement('li');
    li.className = kind;
    if (who) {
      var w = document.createElement('span');
      w.className = 'who';
      w.textContent = who;
      li.appendChild(w);
    }
    li.appendChild(document.createTextNode(text));
    if (meta) {
      var m = document.createElement('span');
      m.className = 'meta';
      m.textContent = meta;
      li.appendChild(m);
    }
    el.messages.appendChild(li);
    while (el.messages.children.length > 500) el.messages.removeChild(el.messages.firstChild);
    var main = el.messages.parentElement;
    main.scrollTop = main.scrollHeight;
  }

  function contentText(content) {
    return typeof content === 'string' ? content : JSON.stringify(content);
  }

  function socketUrl() {
    var proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    var url = proto + '//' + location.host + '/' + encodeURIComponent(state.room);
    if (state.epoch !== null && state.offset !== null) {
      url += '?since=' + state.offset + '&epoch=' + encodeURIComponent(state.epoch);
    }
    return url;
  }

  function connect() {
    clearTimeout(state.timer);
    state.timer = null;
    var url = socketUrl();
    state.lastUrl = url;
    state.connects++;
    setStatus(state.connects === 1 ? 'connecting' : 'reconnecting', 'connecting to ' + state.room + '...');
    var ws = new WebSocket(url);
    state.ws = ws;
    state.awaitingWelcome = true;

    ws.onopen = function () {
      if (state.ws !== ws) return;
      setStatus('open', 'connected to ' + state.room);
    };

    ws.onmessage = function (event) {
      if (state.ws !== ws) return;
      var data;
      try {
        data = JSON.parse(event.data);
      } catch (e) {
        add('error', 'unreadable frame from server');
        return;
      }
      onFrame(data);
    };

    ws.onclose = function (event) {
      if (state.ws !== ws) return; // replaced by a room switch
      state.ws = null;
      var why = event.code + (event.reason ? ' ' + event.reason : '');
      if (isTerminal(event.code)) {
        setStatus('closed', 'closed (' + why + ')');
        add('error', 'Connection closed: ' + why + '. Press Join to reconnect.');
        return;
      }
      var delay = reconnectImmediately(event.code)
        ? backoffDelay(0)
        : backoffDelay(state.attempt++);
      setStatus('reconnecting', 'disconnected (' + why + '); retrying in ' + (delay / 1000).toFixed(1) + ' s');
      state.timer = setTimeout(connect, delay);
    };
  }

  function onFrame(data) {
    if (data.type === 'system') {
      if (state.awaitingWelcome) {
        state.awaitingWelcome = false;
        state.attempt = 0; // a good connection resets the backoff
        state.clientId = data.client_id || state.clientId;
        if (data.recovered === false) {
          add('error', 'Some messages sent while you were away could not be recovered.');
        }
        if (data.epoch !== undefined && data.epoch !== null) {
          state.epoch = data.epoch;
          state.offset = data.offset;
        }
        if (data.recovered === true) {
          add('system', 'Reconnected; caught up on missed messages.');
          return;
        }
      }
      add('system', data.message);
    } else if (data.type === 'message') {
      if (typeof data.offset === 'number' && data.epoch) {
        state.epoch = data.epoch;
        state.offset = data.offset;
      }
      var mine = data.client_id === state.clientId;
      add(mine ? 'message mine' : 'message', contentText(data.content), data.client_id + ':',
        data.timestamp ? new Date(data.timestamp).toLocaleTimeString() : '');
    } else if (data.type === 'error') {
      add('error', data.message);
    }
  }

  function joinRoom(room) {
    if (state.ws) {
      var old = state.ws;
      state.ws = null;
      old.close(1000, 'switching rooms');
    }
    clearTimeout(state.timer);
    if (room !== state.room) {
      state.epoch = null;
      state.offset = null;
      el.messages.textContent = '';
    }
    state.room = room;
    state.attempt = 0;
    el.room.value = room;
    if (decodeURIComponent(location.hash.replace(/^#/, '')) !== room) {
      history.replaceState(null, '', '#' + encodeURIComponent(room));
    }
    document.title = room + ' - roomcast chat';
    connect();
  }

  el.roomForm.addEventListener('submit', function (e) {
    e.preventDefault();
    var room = el.room.value.trim();
    if (room) joinRoom(room);
  });

  el.sendForm.addEventListener('submit', function (e) {
    e.preventDefault();
    var text = el.message.value.trim();
    if (!text || !state.ws || state.ws.readyState !== WebSocket.OPEN) return;
    state.ws.send(JSON.stringify({ content: text }));
    el.message.value = '';
    el.message.focus();
  });

  // For tests and curious people in the console.
  window.roomcastChat = {
    state: state,
    backoffDelay: backoffDelay,
    isTerminal: isTerminal,
    joinRoom: joinRoom
  };

  joinRoom(initialRoom());
})();
