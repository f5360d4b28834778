package dev.roomcast.bench;

import java.net.URI;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One harness connection: a {@link WebSocket.Listener} that counts and times deliveries.
 *
 * <p>Flow control is the JDK's: the listener asks for one more message after handling each one. A
 * member told to {@link #stopReading()} simply stops asking, so the JDK stops reading its socket
 * and the server sees a genuinely slow consumer (full TCP window), not a closed one.
 */
public final class Member implements WebSocket.Listener {
  private final Session session;
  private final URI uri;
  private final int room;
  private final boolean counted;
  private final CompletableFuture<Void> welcome = new CompletableFuture<>();
  private final AtomicLong received = new AtomicLong();
  private volatile boolean reading = true;
  private volatile WebSocket ws;
  private StringBuilder partial; // only touched by this socket's serialized callbacks
  private long lastSeq = -1; // same: the highest sequence number of the current run seen so far
  private long lastTag;
  private final AtomicLong repeatedOrReordered = new AtomicLong();

  Member(Session session, URI uri, int room, boolean counted) {
    this.session = session;
    this.uri = uri;
    this.room = room;
    this.counted = counted;
  }

  /** The URI this member dials. */
  public URI uri() {
    return uri;
  }

  /** Index of the room this member joined, in its scenario's layout. */
  public int room() {
    return room;
  }

  /** False for members excluded from delivery counts (the stalled ones of the slow scenario). */
  public boolean counted() {
    return counted;
  }

  /** Completes when the server's welcome frame has arrived. */
  public CompletableFuture<Void> welcome() {
    return welcome;
  }

  /** The socket, null until the handshake completed. */
  public WebSocket socket() {
    return ws;
  }

  /** Measured deliveries this member received since the last {@link #resetReceived()}. */
  public long received() {
    return received.get();
  }

  void resetReceived() {
    received.set(0);
  }

  /**
   * Stops requesting frames, so unread data backs up into the kernel and the server. Only uncounted
   * members (created for the slow scenario) can stop; counted ones hold unbounded demand.
   */
  public void stopReading() {
    reading = false;
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    this.ws = webSocket;
    // Counted members grant unbounded demand once: per-message request(1) costs the JDK a demand
    // update and a scheduler round-trip per frame, a noticeable share of harness CPU in fanout.
    // Members that may be told to stop reading keep the one-at-a-time handshake.
    webSocket.request(counted ? Long.MAX_VALUE : 1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    if (!last) {
      if (partial == null) {
        partial = new StringBuilder(data.length() * 2);
      }
      partial.append(data);
    } else {
      String text;
      if (partial == null) {
        text = data.toString();
      } else {
        text = partial.append(data).toString();
        partial = null;
      }
      handle(text);
    }
    more(webSocket);
    return null;
  }

  private void handle(String text) {
    session.frameSeen();
    Frame f = Frame.parse(text);
    switch (f.kind()) {
      case MESSAGE -> {
        Sink sink = session.sink();
        if (sink != null && f.tag() == sink.tag() && f.sentMicros() != Frame.NO_TIME) {
          long now = System.nanoTime();
          received.incrementAndGet();
          // one publisher per room and in-order rooms: every member sees rising sequence numbers;
          // anything else is a duplicate or a reordering (exactly-once check, e.g. via Redis)
          if (lastTag != sink.tag()) {
            lastTag = sink.tag();
            lastSeq = -1;
          }
          if (f.seq() <= lastSeq) {
            repeatedOrReordered.incrementAndGet();
          }
          lastSeq = Math.max(lastSeq, f.seq());
          sink.deliver(counted, f.seq(), Clock.toMicros(now) - f.sentMicros(), now);
        }
      }
      case SYSTEM -> {
        session.systemSeen();
        if (f.welcome()) {
          welcome.complete(null);
        }
      }
      case ERROR -> session.errorSeen();
      case OTHER -> session.otherSeen();
    }
  }

  /** Run messages that arrived with a sequence number not above one already seen. */
  long repeatedOrReordered() {
    return repeatedOrReordered.get();
  }

  private void more(WebSocket webSocket) {
    if (!counted && reading) {
      webSocket.request(1);
    }
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    more(webSocket);
    return null;
  }

  @Override
  public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
    // the JDK answers with a pong itself; only demand is ours to manage
    more(webSocket);
    return null;
  }

  @Override
  public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
    more(webSocket);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    session.closedByServer();
    welcome.completeExceptionally(new IllegalStateException("closed " + statusCode));
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    session.closedByServer();
    welcome.completeExceptionally(error);
  }
}
