package io.foresight.history;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** File names of a spool: {@code <id>.spool} (data), {@code .lock} and {@code .done} (progress). */
final class SpoolFiles {
  private static final String DATA = ".spool";

  /** Longest first line read as a header: a history root is a path, far shorter. */
  private static final int MAX_HEADER = 64 * 1024;

  private SpoolFiles() {}

  static Path data(Path dir, String id) {
    return dir.resolve(id + DATA);
  }

  static Path lock(Path dir, String id) {
    return dir.resolve(id + ".lock");
  }

  static Path done(Path dir, String id) {
    return dir.resolve(id + ".done");
  }

  static List<String> ids(Path dir) throws IOException {
    List<String> ids = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return ids;
    }
    try (Stream<Path> s = Files.list(dir)) {
      s.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(DATA))
          .sorted()
          .forEach(n -> ids.add(n.substring(0, n.length() - DATA.length())));
    }
    return ids;
  }

  /**
   * The root of the history that spool {@code id} holds rows for, from its first line; null for a
   * spool that does not say (written before spools named their history, or without one complete
   * line: then it holds no complete record either).
   */
  static String history(Path dir, String id) throws IOException {
    ByteArrayOutputStream first = new ByteArrayOutputStream(256);
    try (InputStream in = new BufferedInputStream(Files.newInputStream(data(dir, id)), 4096)) {
      int b;
      while ((b = in.read()) != '\n') {
        if (b == -1 || first.size() >= MAX_HEADER) {
          return null;
        }
        first.write(b);
      }
    }
    String line = first.toString(StandardCharsets.UTF_8);
    String head = SpoolWriter.HISTORY + "\t";
    return line.startsWith(head) ? line.substring(head.length()) : null;
  }

  static void deleteAll(Path dir, String id) throws IOException {
    Files.deleteIfExists(done(dir, id));
    Files.deleteIfExists(data(dir, id));
    Files.deleteIfExists(lock(dir, id));
  }
}
