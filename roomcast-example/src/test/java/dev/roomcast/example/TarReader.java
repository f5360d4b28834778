package dev.roomcast.example;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a tar stream (ustar, with PAX and GNU long names, as Jib writes them) into memory: regular
 * files only, path to bytes. For tests of image tarballs; not for large archives.
 */
final class TarReader {
  private TarReader() {}

  static Map<String, byte[]> read(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    Map<String, byte[]> files = new LinkedHashMap<>();
    String longName = null;
    byte[] header = new byte[512];
    while (true) {
      try {
        data.readFully(header);
      } catch (EOFException e) {
        return files;
      }
      if (allZero(header)) {
        return files;
      }
      String name = string(header, 0, 100);
      String octalSize = string(header, 124, 12).trim();
      long size = octalSize.isEmpty() ? 0 : Long.parseLong(octalSize, 8);
      char type = (char) header[156];
      String prefix = string(header, 345, 155);
      if (!prefix.isEmpty()) {
        name = prefix + "/" + name;
      }
      byte[] body = new byte[Math.toIntExact(size)];
      data.readFully(body);
      data.skipNBytes((512 - size % 512) % 512);
      switch (type) {
        case 'x' -> longName = paxPath(body);
        case 'L' -> longName = new String(body, StandardCharsets.UTF_8).replace("\0", "");
        case '0', '\0' -> {
          files.put(longName != null ? longName : name, body);
          longName = null;
        }
        default -> longName = null; // directories, links, global headers
      }
    }
  }

  private static String paxPath(byte[] records) {
    String text = new String(records, StandardCharsets.UTF_8);
    for (String record : text.split("\n")) {
      int space = record.indexOf(' ');
      if (space > 0 && record.startsWith("path=", space + 1)) {
        return record.substring(space + 1 + "path=".length());
      }
    }
    return null;
  }

  private static String string(byte[] b, int offset, int length) {
    int end = offset;
    while (end < offset + length && b[end] != 0) {
      end++;
    }
    return new String(b, offset, end - offset, StandardCharsets.UTF_8);
  }

  private static boolean allZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  /** All of {@code in}, for nested archives. */
  static byte[] bytes(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toByteArray();
  }
}
