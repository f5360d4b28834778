// roomcast.js: a browser (and Node) client for roomcast rooms that does not lose messages.
// One ES module, no dependencies, no build step. Protocol: docs/protocol.md; usage:
// docs/clients.md.
//
//   import { connect } from '/roomcast.js';
//   const client = connect('ws://localhost:8080', 'lobby');
//   client.on('message', (m) => console.log(m.client_id, m.content));
//   client.send({ text: 'hi' });
//
// Receiving: the client keeps the epoch and offset of the last room message (or of the welcome when
// none came yet) and, after any non-terminal close, reconnects with ?since=<offset>&epoch=<epoch>,
// so the server replays what was missed. Messages whose offset was already delivered in the same
// epoch are dropped; an offset that jumps ahead within an epoch is a gap: the client drops that
// connection (code 4100) and resumes at once.
//
// Reconnecting: exactly dev.roomcast.BackoffPolicy's formula and defaults. Before attempt n (1, 2,
// ...) it waits floor(min(maxDelayMs, initialDelayMs * multiplier^(n-1)) * random()) ms: 1 s, x2,
// 30 s cap, full jitter, never giving up. A connection that got its welcome resets n. Close codes
// 1012 (server restart) and 4001 (max connection age) reconnect at once; terminal codes 1000, 1003,
// 1008 and 4500-4999 end the client (dev.roomcast.CloseCodes).
//
// Sending: send() writes at once while a welcomed connection is open, and otherwise queues the
// message (sent in order after the next welcome). The queue holds offlineQueueSize messages
// (default 100); when it is full, send() returns false and the message is NOT queued - the newest
// is refused, nothing queued is ever dropped. send() also returns false once the client is closed.
// A message handed to an open socket counts as sent: if that connection dies before the server
// reads it, it is lost (protocol v1 has no publish acknowledgement). send(content, {id}) puts the
// id on the frame; an error frame that refuses that message carries it back (servererror's id).
//
// Events (EventTarget; each event's `detail`, also passed to on(type, fn) listeners):
//   open         {clientId, room, position, recovered, resumedFrom, welcome}  after each welcome
//   message      the room message frame {type, client_id, content, timestamp, room, offset, epoch}
//   system       a join/leave notice frame
//   servererror  {message, id?}  an error frame from the server; the connection stays open; id is
//                the send() id of the message it refuses, when it refuses one that had an id
//   reconnecting {attempt, delayMs, code, reason}  the connection is gone; next try after delayMs
//                (retryNow() cuts the wait short)
//   close        {code, reason}  closed for good (terminal code, gave up, or close() called)

/** The defaults, the same as dev.roomcast.BackoffPolicy.defaults() and the Java client's. */
export const DEFAULTS = Object.freeze({
  initialDelayMs: 1000,
  multiplier: 2,
  maxDelayMs: 30000,
  maxAttempts: 0, // 0: never give up
  offlineQueueSize: 100,
  connectTimeoutMs: 15000,
});

/** The close code this client uses when it drops a connection to resume across a gap. */
export const GAP_CLOSE_CODE = 4100;

/** Close codes after which reconnecting cannot help (dev.roomcast.CloseCodes.isTerminal). */
export function isTerminal(code) {
  return code === 1000 || code === 1003 || code === 1008 || (code >= 4500 && code <= 4999);
}

/** Close codes that mean "reconnect now" (dev.roomcast.CloseCodes.reconnectImmediately). */
export function reconnectImmediately(code) {
  return code === 1012 || code === 4001;
}

/**
 * The delay in ms before reconnect attempt `attempt` (1, 2, ...), or null when maxAttempts is
 * exceeded. The same arithmetic as BackoffPolicy.delayMillis with full jitter: doubles, the
 * ceiling capped before flooring, so any attempt number gives a delay within [0, maxDelayMs].
 *
 * @param {number} attempt 1 for the first retry
 * @param {() => number} [random] values in [0, 1); Math.random by default
 * @param {object} [options] initialDelayMs, multiplier, maxDelayMs, maxAttempts
 */
export function backoffDelay(attempt, random = Math.random, options = {}) {
  const o = Object.assign({}, DEFAULTS, options);
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new RangeError('attempt must be an integer >= 1, was ' + attempt);
  }
  if (o.maxAttempts > 0 && attempt > o.maxAttempts) return null;
  // Math.pow overflows to Infinity for large attempts; min() caps it
  const ceiling = Math.min(o.maxDelayMs, o.initialDelayMs * Math.pow(o.multiplier, attempt - 1));
  const r = random();
  if (!(r >= 0 && r < 1)) throw new RangeError('random() must return values in [0, 1), gave ' + r);
  return Math.floor(ceiling * r);
}

const ROOM_NAME = /^(?!\.)[A-Za-z0-9_\-.:@]{1,128}$/;

/**
 * A client of one room. Starts connecting at once (unless options.connect is false: then call
 * open()). Single-threaded like everything in a page; events fire from the socket's callbacks.
 */
export class RoomcastClient extends EventTarget {
  /**
   * @param {string} url the server's WebSocket base, e.g. 'ws://localhost:8080' or
   *   'wss://example.com/chat' (a query such as '?token=...' is kept); in a page, '' or undefined
   *   means this page's own host
   * @param {string} room the room name: 1-128 of A-Z a-z 0-9 _ - . : @, not starting with '.'
   * @param {object} [options] DEFAULTS' keys, plus: random (() => number in [0, 1)), WebSocket (a
   *   constructor, e.g. require('ws') in Node), resumeFrom ({epoch, offset}), connect (boolean),
   *   history (the room's latest n messages on the first join), presence (true: keep `members` up
   *   to date from presence frames and fire 'presence' events)
   */
  constructor(url, room, options = {}) {
    super();
    if (!ROOM_NAME.test(room)) throw new TypeError('invalid room name: ' + room);
    this.options = Object.assign({}, DEFAULTS, options);
    this.random = this.options.random || Math.random;
    this.WebSocketImpl = this.options.WebSocket || globalThis.WebSocket;
    if (typeof this.WebSocketImpl !== 'function') {
      throw new TypeError('no WebSocket: pass options.WebSocket (e.g. require("ws") in Node)');
    }
    this.base = baseUrl(url);
    this.room = room;
    this._state = 'idle';
    this._ws = null;
    this._welcomed = false;
    this._resumedFrom = null;
    this._gap = false;
    this._failures = 0;
    this._timer = null;
    this._connectTimer = null;
    this._queue = [];
    this._clientId = null;
    this._position = null;
    this._resumeToken = null;
    this._members = new Map();
    this.stats = { connections: 0, duplicatesDropped: 0, gapsDetected: 0 };
    this.lastUrl = null;
    const r = this.options.resumeFrom;
    if (r && typeof r.epoch === 'string' && Number.isInteger(r.offset)) {
      this._position = { epoch: r.epoch, offset: r.offset };
    }
    this._onOnline = () => {
      // the browser says the network is back: do not sit out the rest of a long backoff
      if (this._state === 'reconnecting' && this._timer !== null) this._reconnectNow();
    };
    if (this.options.connect !== false) this.open();
  }

  /** 'idle', 'connecting', 'open', 'reconnecting' or 'closed'. */
  get state() {
    return this._state;
  }

  /** The position the next reconnect resumes from, {epoch, offset}, or null. */
  get position() {
    return this._position ? Object.assign({}, this._position) : null;
  }

  /** The current (or last) connection's client id, from its welcome. */
  get clientId() {
    return this._clientId;
  }

  /**
   * The room's members (client_id, user, name, joined_at) across every instance, kept up to date
   * when options.presence is true; empty otherwise.
   */
  get members() {
    return Array.from(this._members.values());
  }

  /** Asks the server for the room's members now (answered by a 'presence' event). */
  requestPresence() {
    if (!this._canWrite()) return false;
    this._ws.send(JSON.stringify({ type: 'presence' }));
    return true;
  }

  /** Messages waiting for a connection. */
  get queued() {
    return this._queue.length;
  }

  /** The current WebSocket, for diagnostics and tests; null between connections. */
  get socket() {
    return this._ws;
  }

  /** Adds a listener called with the event's detail; returns this client for chaining. */
  on(type, fn) {
    this.addEventListener(type, (e) => fn(e.detail));
    return this;
  }

  /** Starts connecting (only needed with options.connect === false). */
  open() {
    if (this._state !== 'idle') return this;
    this._state = 'connecting';
    if (typeof window !== 'undefined' && window.addEventListener) {
      window.addEventListener('online', this._onOnline);
    }
    this._connect();
    return this;
  }

  /**
   * Sends {"content": content} now, or after the next welcome while offline.
   * @param {*} content any JSON value
   * @param {{id?: string|number}} [options] id: echoed on the error that refuses this message
   * @returns {boolean} false when the client is closed or the offline queue is full (not sent)
   */
  send(content, options) {
    if (this._state === 'closed') return false;
    const body = { content: content === undefined ? null : content };
    if (options && options.id !== undefined && options.id !== null) body.id = options.id;
    const frame = JSON.stringify(body);
    if (this._queue.length === 0 && this._canWrite()) {
      this._ws.send(frame);
      return true;
    }
    if (this._queue.length >= this.options.offlineQueueSize) return false;
    this._queue.push(frame);
    this._flush();
    return true;
  }

  /**
   * While waiting out a reconnect delay, connects now (a "retry now" button). Does not reset the
   * backoff: if this attempt fails too, the next delay is the next step's.
   * @returns {boolean} true when a wait was cut short; false in any other state
   */
  retryNow() {
    if (this._state !== 'reconnecting' || this._timer === null) return false;
    this._reconnectNow();
    return true;
  }

  /** Closes for good: no more reconnects, queued messages discarded, 'close' fires once. */
  close(code = 1000, reason = 'closed by client') {
    if (this._state === 'closed') return;
    const ws = this._ws;
    this._finish(code, reason);
    if (ws && ws.readyState <= 1) {
      try {
        ws.close(code, reason);
      } catch (e) {
        ws.close();
      }
    }
  }

  // ---- internals

  _canWrite() {
    return this._ws !== null && this._welcomed && this._ws.readyState === 1;
  }

  _flush() {
    while (this._queue.length > 0 && this._canWrite()) {
      this._ws.send(this._queue.shift());
    }
  }

  _url() {
    const q = this.base.indexOf('?');
    let path = q >= 0 ? this.base.slice(0, q) : this.base;
    const query = q >= 0 ? this.base.slice(q + 1) : '';
    if (!path.endsWith('/')) path += '/';
    // room names are made of characters that are legal in a path segment as they are
    let url = path + this.room;
    const params = [];
    if (query) params.push(query);
    if (this._position) {
      params.push('since=' + this._position.offset);
      params.push('epoch=' + encodeURIComponent(this._position.epoch));
    } else if (Number.isInteger(this.options.history) && this.options.history > 0) {
      params.push('history=' + this.options.history);
    }
    // keeps our client_id across reconnects, on any instance of the deployment
    if (this._resumeToken) params.push('resume_token=' + encodeURIComponent(this._resumeToken));
    if (this.options.presence) params.push('presence=diff');
    return params.length ? url + '?' + params.join('&') : url;
  }

  _connect() {
    this._timer = null;
    if (this._state === 'closed') return;
    const url = this._url();
    this.lastUrl = url;
    this._resumedFrom = this.position;
    this._welcomed = false;
    this._gap = false;
    let ws;
    try {
      ws = new this.WebSocketImpl(url);
    } catch (e) {
      // e.g. a malformed URL: nothing a retry could fix
      this._finish(1008, 'cannot connect to ' + url + ': ' + e.message);
      return;
    }
    this._ws = ws;
    this._connectTimer = setTimeout(() => {
      // no welcome in time: treat like a failed attempt (the close event follows)
      if (this._ws === ws && !this._welcomed) ws.close();
    }, this.options.connectTimeoutMs);
    ws.onmessage = (event) => {
      if (this._ws !== ws) return;
      this._onFrame(event.data);
    };
    ws.onclose = (event) => {
      if (this._ws !== ws) return;
      this._onClose(event.code, event.reason || '');
    };
    ws.onerror = () => {
      // always followed by a close event, which decides what happens
    };
  }

  _onFrame(data) {
    if (this._gap) return; // dropping the rest of a connection that had a gap
    let frame;
    try {
      frame = JSON.parse(typeof data === 'string' ? data : String(data));
    } catch (e) {
      return; // not JSON: not from a roomcast server; ignore
    }
    if (!frame || typeof frame !== 'object') return;
    if (!this._welcomed) {
      this._onWelcome(frame);
      if (frame.type === 'message') this._onMessage(frame);
      return;
    }
    if (frame.type === 'message') {
      this._onMessage(frame);
    } else if (frame.type === 'system') {
      this._emit('system', frame);
    } else if (frame.type === 'error') {
      const detail = { message: frame.message };
      if (frame.id !== undefined) detail.id = frame.id;
      this._emit('servererror', detail);
    } else if (frame.type === 'presence' && Array.isArray(frame.members)) {
      this._members = new Map(frame.members.map((m) => [m.client_id, m]));
      this._emit('presence', { members: this.members, joins: [], leaves: [] });
    } else if (frame.type === 'presence_diff') {
      const joins = Array.isArray(frame.joins) ? frame.joins : [];
      const leaves = Array.isArray(frame.leaves) ? frame.leaves : [];
      for (const m of leaves) this._members.delete(m.client_id);
      for (const m of joins) this._members.set(m.client_id, m);
      this._emit('presence', { members: this.members, joins, leaves });
    }
    // unknown types are ignored: the protocol may add some
  }

  _onWelcome(frame) {
    clearTimeout(this._connectTimer);
    this._welcomed = true;
    this._failures = 0;
    this.stats.connections++;
    this._clientId = frame.client_id || null;
    if (typeof frame.resume_token === 'string' && frame.resume_token) {
      this._resumeToken = frame.resume_token;
    }
    const at = positionOf(frame);
    const recovered = typeof frame.recovered === 'boolean' ? frame.recovered : undefined;
    // a complete resume continues from where we were; otherwise (fresh join, recovered false) the
    // welcome says where live traffic continues from
    if (at && recovered !== true) this._position = at;
    this._state = 'open';
    this._emit('open', {
      clientId: this._clientId,
      room: frame.room || this.room,
      position: at,
      recovered,
      resumedFrom: this._resumedFrom,
      welcome: frame,
    });
    this._flush();
  }

  _onMessage(frame) {
    const at = positionOf(frame);
    const last = this._position;
    if (at && last && at.epoch === last.epoch) {
      if (at.offset <= last.offset) {
        this.stats.duplicatesDropped++;
        return;
      }
      if (at.offset > last.offset + 1) {
        this.stats.gapsDetected++;
        this._gap = true;
        this._ws.close(GAP_CLOSE_CODE, 'gap detected; resuming');
        return;
      }
    }
    // a new epoch starts over; a message without a position (seed server) is just delivered
    if (at) this._position = at;
    this._emit('message', frame);
  }

  _onClose(code, reason) {
    clearTimeout(this._connectTimer);
    const welcomed = this._welcomed;
    const gap = this._gap;
    this._ws = null;
    this._welcomed = false;
    if (this._state === 'closed') return;
    let attempt;
    let delay;
    if (gap) {
      attempt = 0;
      delay = 0;
    } else if (isTerminal(code)) {
      this._finish(code, reason);
      return;
    } else if (reconnectImmediately(code) && welcomed) {
      attempt = 0;
      delay = 0;
    } else {
      attempt = ++this._failures;
      delay = backoffDelay(attempt, this.random, this.options);
      if (delay === null) {
        this._finish(code, 'gave up after ' + (attempt - 1) + ' reconnect attempts; last: ' + reason);
        return;
      }
    }
    this._state = 'reconnecting';
    this._emit('reconnecting', { attempt, delayMs: delay, code, reason });
    if (this._state === 'reconnecting' && this._timer === null) {
      this._timer = setTimeout(() => this._connect(), delay);
    }
  }

  _reconnectNow() {
    clearTimeout(this._timer);
    this._timer = null;
    this._connect();
  }

  _finish(code, reason) {
    this._state = 'closed';
    clearTimeout(this._timer);
    clearTimeout(this._connectTimer);
    this._timer = null;
    this._ws = null;
    this._queue = [];
    if (typeof window !== 'undefined' && window.removeEventListener) {
      window.removeEventListener('online', this._onOnline);
    }
    this._emit('close', { code, reason });
  }

  _emit(type, detail) {
    try {
      this.dispatchEvent(new CustomEvent(type, { detail }));
    } catch (e) {
      // a throwing listener must not break the client's bookkeeping
      setTimeout(() => {
        throw e;
      }, 0);
    }
  }
}

/** Creates a client and starts connecting. */
export function connect(url, room, options) {
  return new RoomcastClient(url, room, options);
}

function baseUrl(url) {
  if (url) return String(url);
  if (typeof location !== 'undefined') {
    return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host;
  }
  throw new TypeError('a server URL is needed outside a page');
}

function positionOf(frame) {
  if (typeof frame.epoch === 'string' && frame.epoch && Number.isInteger(frame.offset) && frame.offset >= 0) {
    return { epoch: frame.epoch, offset: frame.offset };
  }
  return null;
}
