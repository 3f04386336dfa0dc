package io.foresight.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** File helpers for tests. */
public final class TestFiles {
  private TestFiles() {}

  /** Copies the folder {@code from}, with all it holds, to {@code to}. */
  public static void copyTree(Path from, Path to) throws IOException {
    try (var files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
  }
}
