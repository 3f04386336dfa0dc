package io.foresight.importer;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * One application's event log, as one or more parts read in order: a single file, the parts of a
 * rolling {@code eventlog_v2_*} directory, or Databricks' rolled {@code eventlog-*} files.
 *
 * @param path what the log is called in the summary and in {@code source_path}
 * @param appIdHint an application id guessed from the file name, used only when the log never says
 *     which application it is
 */
record LogSource(String path, String appIdHint, List<Part> parts) {

  /** Opens the raw (still compressed) bytes of a part. */
  @FunctionalInterface
  interface Opener {
    InputStream open() throws IOException;
  }

  /** One file of a log. {@code codec} is null for plain JSON lines. */
  record Part(String name, String codec, long size, Opener opener) {}

  long size() {
    return parts.stream().mapToLong(Part::size).sum();
  }
}
