package io.foresight.history;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** File names of a spool: {@code <id>.spool} (data), {@code .lock} and {@code .done} (progress). */
final class SpoolFiles {
  private static final String DATA = ".spool";

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

  static void deleteAll(Path dir, String id) throws IOException {
    Files.deleteIfExists(done(dir, id));
    Files.deleteIfExists(data(dir, id));
    Files.deleteIfExists(lock(dir, id));
  }
}
