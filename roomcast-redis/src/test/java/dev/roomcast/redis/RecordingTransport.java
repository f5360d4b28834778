package dev.roomcast.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomcast.spi.OutboundFrame;
import dev.roomcast.spi.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link Transport} that writes nothing anywhere: it records every frame (completing each send at
 * once) and the close code, for assertions.
 */
public final class RecordingTransport implements Transport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<String> frames = new CopyOnWriteArrayList<>();
  private volatile int closeCode = -1;
  private volatile String closeReason;

  @Override
  public void send(OutboundFrame frame, WriteCallback done) {
    frames.add(frame.text());
    done.completed(null);
  }

  @Override
  public void close(int code, String reason) {
    if (closeCode == -1) {
      closeCode = code;
      closeReason = reason;
    }
  }

  /** Every frame's text, in order. */
  public List<String> frames() {
    return List.copyOf(frames);
  }

  /** Every frame parsed. */
  public List<JsonNode> json() {
    List<JsonNode> out = new ArrayList<>();
    for (String f : frames) {
      out.add(parse(f));
    }
    return out;
  }

  /** Frames whose {@code type} is {@code type}. */
  public List<JsonNode> ofType(String type) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode n : json()) {
      if (type.equals(n.path("type").asText())) {
        out.add(n);
      }
    }
    return out;
  }

  /** Room message frames ({@code type: message}). */
  public List<JsonNode> messages() {
    return ofType("message");
  }

  /** The {@code offset} of every message frame, in order. */
  public List<Long> offsets() {
    List<Long> out = new ArrayList<>();
    for (JsonNode n : messages()) {
      out.add(n.path("offset").asLong());
    }
    return out;
  }

  /** The first frame (the welcome, for a joined member). */
  public JsonNode first() {
    return parse(frames.get(0));
  }

  public boolean isClosed() {
    return closeCode != -1;
  }

  /** The close code, or -1 while open. */
  public int closeCode() {
    return closeCode;
  }

  public String closeReason() {
    return closeReason;
  }

  private static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
