package dev.roomcast.redis;

import dev.roomcast.StreamPosition;
import dev.roomcast.spi.HistoryPage;
import dev.roomcast.spi.MessageDraft;
import dev.roomcast.spi.RoomMessage;
import dev.roomcast.spi.RoomNotice;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Protocol;

/**
 * The room commands a node sends (publish, notice, position and history reads) and the decoding of
 * their replies: the Java half of {@code publish.lua} and {@code read.lua}, as {@link Wire} is the
 * Java half of the key and payload formats.
 *
 * <p>Each method returns a new {@link CommandChannel.Op} whose future completes on the command
 * thread. Immutable and thread-safe; the ops themselves belong to the command thread once queued.
 */
final class RoomCommands {
  private static final Logger LOG = Logger.getLogger("dev.roomcast.redis");

  private final Wire wire;
  private final int historyLength;
  private final long ttlSeconds;
  private final Epochs epochs;
  private final Fences fences;
  private final String publishCommand;

  /**
   * @param sharded publish with {@code SPUBLISH} (Redis Cluster's sharded pub/sub), not {@code
   *     PUBLISH}
   */
  RoomCommands(
      Wire wire,
      int historyLength,
      long ttlSeconds,
      Epochs epochs,
      Fences fences,
      boolean sharded) {
    this.publishCommand = sharded ? "SPUBLISH" : "PUBLISH";
    this.wire = wire;
    this.historyLength = historyLength;
    this.ttlSeconds = ttlSeconds;
    this.epochs = epochs;
    this.fences = fences;
  }

  Publish publish(MessageDraft draft) {
    return new Publish(draft);
  }

  CommandChannel.Op notice(RoomNotice notice) {
    return new Notice(notice);
  }

  /** A history read after {@code after} (at least 0), at most {@code limit} (at least 1). */
  Read history(String room, String epoch, long after, int limit) {
    return new Read(room, epoch, Math.max(0, after), Math.max(1, limit));
  }

  /** A position read: fixes the room's epoch if it has none yet. */
  Read position(String room) {
    return new Read(room, null, 0, 0);
  }

  /** {@code publish.lua}: offset, stream append, PUBLISH, in one step. */
  final class Publish extends CommandChannel.Op {
    final MessageDraft draft;
    final String header;
    final CompletableFuture<RoomMessage> future = new CompletableFuture<>();

    Publish(MessageDraft draft) {
      this.draft = draft;
      this.header = Wire.header(draft.originNode(), draft.clientId(), draft.timestamp());
    }

    @Override
    CommandArguments command() {
      String room = draft.room();
      return new CommandArguments(Protocol.Command.EVALSHA)
          .add(Script.PUBLISH.sha1)
          .add(2)
          .add(wire.metaKey(room))
          .add(wire.logKey(room))
          .add(wire.channel(room))
          .add(historyLength)
          .add(ttlSeconds)
          .add(epochs.next())
          .add(header)
          .add(draft.contentJson())
          .add(publishCommand)
          .add(Wire.identity(draft.user(), draft.name()));
    }

    @Override
    String room() {
      return draft.room();
    }

    @Override
    void complete(Object reply) {
      List<?> r = (List<?>) reply;
      String epoch = Wire.text(r.get(0));
      long offset = (Long) r.get(1);
      fences.noteSeen(draft.room(), epoch, offset, header, draft.contentJson());
      future.complete(draft.at(epoch, offset));
    }

    @Override
    void failQuietly(Throwable error) {
      future.completeExceptionally(error);
    }

    @Override
    public String toString() {
      return "publish to " + draft.room();
    }
  }

  /** A plain PUBLISH of a join/leave notice; best effort, nobody waits for it. */
  private final class Notice extends CommandChannel.Op {
    final RoomNotice notice;

    Notice(RoomNotice notice) {
      this.notice = notice;
    }

    @Override
    CommandArguments command() {
      return new CommandArguments(
              publishCommand.equals("PUBLISH")
                  ? Protocol.Command.PUBLISH
                  : Protocol.Command.SPUBLISH)
          .add(wire.channel(notice.room()))
          .add(Wire.notice(notice));
    }

    @Override
    String room() {
      return notice.room();
    }

    @Override
    void complete(Object reply) {}

    @Override
    void failQuietly(Throwable error) {}

    @Override
    public String toString() {
      return "notice to " + notice.room();
    }
  }

  /** {@code read.lua}: a position read ({@code limit == 0}) or a history read. */
  final class Read extends CommandChannel.Op {
    final String room;
    final String epoch;
    final long after;
    final int limit;
    final CompletableFuture<HistoryPage> page = new CompletableFuture<>();
    final CompletableFuture<StreamPosition> position = new CompletableFuture<>();

    Read(String room, String epoch, long after, int limit) {
      this.room = room;
      this.epoch = epoch;
      this.after = after;
      this.limit = limit;
    }

    @Override
    CommandArguments command() {
      return new CommandArguments(Protocol.Command.EVALSHA)
          .add(Script.READ.sha1)
          .add(2)
          .add(wire.metaKey(room))
          .add(wire.logKey(room))
          .add(ttlSeconds)
          .add(epochs.next())
          .add(epoch == null ? "" : epoch)
          .add(after)
          .add(limit)
          .add((after + 1) + "-0");
    }

    @Override
    String room() {
      return room;
    }

    @Override
    void complete(Object reply) {
      List<?> r = (List<?>) reply;
      String current = Wire.text(r.get(0));
      long head = (Long) r.get(1);
      if (limit == 0) {
        position.complete(new StreamPosition(current, head));
        return;
      }
      boolean complete = Long.valueOf(1).equals(r.get(2));
      page.complete(
          complete
              ? decodePage(current, head, (List<?>) r.get(3))
              : HistoryPage.notRecoverable(current, head));
    }

    /** The entries as messages; a page with a hole is never handed out. */
    private HistoryPage decodePage(String current, long head, List<?> entries) {
      List<RoomMessage> messages = new ArrayList<>(entries.size());
      long expected = after + 1;
      for (Object o : entries) {
        List<?> entry = (List<?>) o;
        long offset = Wire.offsetOfId(Wire.text(entry.get(0)));
        if (offset != expected) {
          LOG.warning("room " + room + " history has a hole at offset " + expected);
          return HistoryPage.notRecoverable(current, head);
        }
        expected++;
        List<?> fields = (List<?>) entry.get(1);
        String header = null;
        String content = null;
        String[] who = {null, null};
        for (int i = 0; i + 1 < fields.size(); i += 2) {
          String name = Wire.text(fields.get(i));
          if (name.equals("h")) {
            header = Wire.text(fields.get(i + 1));
          } else if (name.equals("c")) {
            content = Wire.text(fields.get(i + 1));
          } else if (name.equals("u")) {
            who = Wire.parseIdentity(Wire.text(fields.get(i + 1)));
          }
        }
        if (header == null || content == null) {
          throw new IllegalStateException("stream entry without h/c fields in room " + room);
        }
        String[] h = Wire.parseHeader(header);
        messages.add(
            new RoomMessage(room, current, offset, h[1], content, h[2], h[0], who[0], who[1]));
      }
      return new HistoryPage(current, head, messages, true);
    }

    @Override
    void failQuietly(Throwable error) {
      page.completeExceptionally(error);
      position.completeExceptionally(error);
    }

    @Override
    public String toString() {
      return (limit == 0 ? "position of " : "history of ") + room;
    }
  }
}
