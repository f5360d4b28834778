// Type declarations for roomcast.js (the same directory): the browser and Node client of roomcast
// rooms. Protocol: docs/protocol.md; behaviour: docs/clients.md. Kept by hand next to the module;
// the roomcast-example build type-checks a consumer against them (NpmPackageTest).

/** A position in a room's stream: the epoch of its history and the offset of a message. */
export interface StreamPosition {
  epoch: string;
  offset: number;
}

/** Backoff settings: the same names and defaults as dev.roomcast.BackoffPolicy. */
export interface BackoffOptions {
  /** Ceiling of the first retry's delay, ms (default 1000). */
  initialDelayMs?: number;
  /** Growth of the ceiling per failed attempt (default 2). */
  multiplier?: number;
  /** Largest ceiling, ms (default 30000). */
  maxDelayMs?: number;
  /** Attempts before giving up; 0 never gives up (default 0). */
  maxAttempts?: number;
}

/** A constructor with the browser's WebSocket shape, e.g. the `ws` package's default export. */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** What the client uses of a WebSocket. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export interface ClientOptions extends BackoffOptions {
  /** Messages held while offline; send() returns false when full (default 100). */
  offlineQueueSize?: number;
  /** Time from opening the socket to the welcome before the attempt is abandoned (default 15000). */
  connectTimeoutMs?: number;
  /** Jitter source, values in [0, 1) (default Math.random). */
  random?: () => number;
  /** The WebSocket implementation (default globalThis.WebSocket; in Node pass `ws`'s). */
  WebSocket?: WebSocketConstructor;
  /** Resume from a position saved earlier (e.g. by another page load). */
  resumeFrom?: StreamPosition;
  /** false: do not connect until open() is called (default true). */
  connect?: boolean;
  /** On the first join (no position yet), ask for the room's latest n messages (the server caps n). */
  history?: number;
  /** true: ask for presence frames; `members` is kept up to date and 'presence' events fire. */
  presence?: boolean;
}

/** One member of the room, as presence frames list it. */
export interface PresenceMember {
  client_id: string;
  /** The member's authenticated subject; absent for anonymous members. */
  user?: string;
  /** The member's display name; absent when it has none. */
  name?: string;
  joined_at?: string;
}

export interface PresenceDetail {
  members: PresenceMember[];
  joins: PresenceMember[];
  leaves: PresenceMember[];
}

export declare const DEFAULTS: Readonly<{
  initialDelayMs: 1000;
  multiplier: 2;
  maxDelayMs: 30000;
  maxAttempts: 0;
  offlineQueueSize: 100;
  connectTimeoutMs: 15000;
}>;

/** The close code the client uses when it drops a connection to resume across a gap (4100). */
export declare const GAP_CLOSE_CODE: 4100;

/** Close codes after which reconnecting cannot help: 1000, 1003, 1008, 4500-4999. */
export declare function isTerminal(code: number): boolean;

/** Close codes that mean "reconnect now": 1012 (server restart) and 4001 (max age). */
export declare function reconnectImmediately(code: number): boolean;

/**
 * The delay in ms before reconnect attempt `attempt` (1, 2, ...), or null past maxAttempts:
 * floor(min(maxDelayMs, initialDelayMs * multiplier^(attempt-1)) * random()).
 */
export declare function backoffDelay(
  attempt: number,
  random?: () => number,
  options?: BackoffOptions,
): number | null;

/** A room message as the server sends it. */
export interface RoomMessage {
  type: 'message';
  client_id: string;
  /** Any JSON value the sender (or the server) published. */
  content: unknown;
  timestamp?: string;
  room?: string;
  offset?: number;
  epoch?: string;
  /** The sender's authenticated subject; absent for anonymous senders. */
  user?: string;
  /** The sender's display name; absent when it has none. */
  name?: string;
  [key: string]: unknown;
}

/** A join or leave notice, or another server frame of type 'system'. */
export interface SystemFrame {
  type: 'system';
  message?: string;
  [key: string]: unknown;
}

export interface OpenDetail {
  clientId: string | null;
  room: string;
  /** Where this connection starts (the welcome's position), or null from a server without one. */
  position: StreamPosition | null;
  /** true: caught up exactly; false: messages were lost; undefined: a fresh join. */
  recovered: boolean | undefined;
  /** The position this connection asked to resume from, or null. */
  resumedFrom: StreamPosition | null;
  /** The welcome frame itself. */
  welcome: Record<string, unknown>;
}

export interface ReconnectingDetail {
  /** 0: at once (1012, 4001, a gap); otherwise the failed-attempt count. */
  attempt: number;
  delayMs: number;
  code: number;
  reason: string;
}

export interface CloseDetail {
  code: number;
  reason: string;
}

export interface ServerErrorDetail {
  message: string;
  /** The `id` given to send() for the message this error refuses; absent for other errors. */
  id?: string | number;
}

export interface SendOptions {
  /**
   * Sent as the frame's `id` (a string of at most 64 characters or an integer) and echoed on the
   * `servererror` that refuses this message, if one does; never relayed to the room.
   */
  id?: string | number;
}

export interface RoomcastEventMap {
  open: OpenDetail;
  message: RoomMessage;
  system: SystemFrame;
  servererror: ServerErrorDetail;
  presence: PresenceDetail;
  reconnecting: ReconnectingDetail;
  close: CloseDetail;
}

export type ClientState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

/** A client of one room. Events are CustomEvents whose `detail` is RoomcastEventMap's. */
export declare class RoomcastClient extends EventTarget {
  /**
   * @param url the server's WebSocket base, e.g. 'wss://example.com' or 'wss://example.com/ws'
   *   (rooms are at base + '/' + room; a query such as '?token=...' is kept); in a page, '' means
   *   the page's own host
   * @param room 1-128 of A-Z a-z 0-9 _ - . : @, not starting with '.'
   */
  constructor(url: string | undefined, room: string, options?: ClientOptions);
  readonly room: string;
  /** The options with DEFAULTS filled in. */
  readonly options: ClientOptions & Required<BackoffOptions> & {
    offlineQueueSize: number;
    connectTimeoutMs: number;
  };
  readonly stats: { connections: number; duplicatesDropped: number; gapsDetected: number };
  /** The URL of the last connection attempt (with since/epoch when resuming). */
  readonly lastUrl: string | null;
  readonly state: ClientState;
  /** The position the next reconnect resumes from. */
  readonly position: StreamPosition | null;
  /** The current (or last) connection's client id, from its welcome. */
  readonly clientId: string | null;
  /** The room's members across every instance (with options.presence). */
  readonly members: PresenceMember[];
  /** Asks for the room's members now; answered by a 'presence' event. false: not connected. */
  requestPresence(): boolean;
  /** Messages waiting for a connection. */
  readonly queued: number;
  /** The current WebSocket, for diagnostics; null between connections. */
  readonly socket: WebSocketLike | null;
  /** Adds a listener called with the event's detail; returns this client. */
  on<K extends keyof RoomcastEventMap>(type: K, fn: (detail: RoomcastEventMap[K]) => void): this;
  /** Starts connecting (only needed with options.connect === false). */
  open(): this;
  /**
   * Sends {"content": content} now, or after the next welcome while offline. false: closed, or
   * the offline queue is full (the message was not queued).
   */
  send(content: unknown, options?: SendOptions): boolean;
  /**
   * While waiting out a reconnect delay, connects now; true when a wait was cut short. The backoff
   * is not reset.
   */
  retryNow(): boolean;
  /** Closes for good: no more reconnects, queued messages discarded, 'close' fires once. */
  close(code?: number, reason?: string): void;
}

/** Creates a client and starts connecting. */
export declare function connect(
  url: string | undefined,
  room: string,
  options?: ClientOptions,
): RoomcastClient;
