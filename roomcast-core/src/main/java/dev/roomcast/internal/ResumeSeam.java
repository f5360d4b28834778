package dev.roomcast.internal;

import dev.roomcast.spi.OutboundFrame;
import java.util.ArrayList;
import java.util.List;

/**
 * One member's seam between history and live traffic: while its missed (or requested) history is
 * read, the live frames that arrive are held here; once the history is queued, the held frames
 * follow, and every positioned frame at or before the last offset the member got is skipped. Also
 * after the seam, a frame already delivered (same epoch, offset not ahead) is skipped: a resume can
 * read a message from history before the room delivers it live.
 *
 * <p>Pure logic, bounded like the member's outbox ({@code maxFrames}, {@code maxBytes}): a hold
 * that would pass the bound gives up and says so. Not thread-safe: the room's monitor guards it.
 */
final class ResumeSeam {
  /** What {@link #offer} did with a frame. */
  enum Offer {
    /** Held until the seam is finished. */
    HELD,
    /** The hold passed its bound and was dropped: the member cannot keep up. */
    OVERFLOW,
    /** Send it now. */
    SEND,
    /** Already delivered: drop it. */
    SKIP
  }

  private final int maxFrames;
  private final long maxBytes;
  private List<OutboundFrame> held;
  private long heldBytes;
  private String lastEpoch;
  private long lastOffset;

  ResumeSeam(int maxFrames, long maxBytes) {
    this.maxFrames = maxFrames;
    this.maxBytes = maxBytes;
  }

  /** Starts holding live frames. */
  void hold() {
    held = new ArrayList<>();
    heldBytes = 0;
  }

  boolean isHolding() {
    return held != null;
  }

  /** Decides a live frame's fate; see {@link Offer}. */
  Offer offer(OutboundFrame frame) {
    if (held != null) {
      if (held.size() >= maxFrames || heldBytes + frame.byteLength() > maxBytes) {
        held = null; // release the memory; the member is closed as a slow consumer
        return Offer.OVERFLOW;
      }
      held.add(frame);
      heldBytes += frame.byteLength();
      return Offer.HELD;
    }
    if (frame.hasPosition()) {
      if (frame.offset() <= lastOffset && frame.epoch().equals(lastEpoch)) {
        return Offer.SKIP;
      }
      lastEpoch = frame.epoch();
      lastOffset = frame.offset();
    }
    return Offer.SEND;
  }

  /** The offset of the first positioned frame held, or {@link Long#MAX_VALUE} if none. */
  long firstHeldOffset() {
    if (held != null) {
      for (OutboundFrame f : held) {
        if (f.hasPosition()) {
          return f.offset();
        }
      }
    }
    return Long.MAX_VALUE;
  }

  /**
   * Ends the hold: the member got everything up to {@code offset} of {@code epoch} from history.
   *
   * @return the held frames, in arrival order; pass each to {@link #offer}, which skips what
   *     history covered
   */
  List<OutboundFrame> finish(String epoch, long offset) {
    List<OutboundFrame> out = held == null ? List.of() : held;
    held = null;
    lastEpoch = epoch;
    lastOffset = offset;
    return out;
  }
}
