package io.foresight.history;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * The local, append-only spool of one live session. Every record is written here first; {@link
 * #seal()} closes a segment that {@link HistoryStore#commitSealed} then commits to the tables.
 * While the session lives it holds a file lock, so recovery never touches it. Not thread-safe: one
 * writer thread owns it.
 */
public final class SpoolWriter implements Closeable {
  static final String SEAL = "#seal";

  /** The first line's head: the root of the history the spool's rows belong to. */
  static final String HISTORY = "#history";

  private final String spoolId;
  private final Path file;
  private final FileChannel channel;
  private final BufferedWriter out;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private long sealed;
  private int unsealedRecords;

  private SpoolWriter(Path dir, String spoolId, HistoryLocation history) throws IOException {
    this.spoolId = spoolId;
    this.file = SpoolFiles.data(dir, spoolId);
    this.lockChannel =
        FileChannel.open(
            SpoolFiles.lock(dir, spoolId), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    this.lock = lockChannel.lock();
    this.channel =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE,
            StandardOpenOption.APPEND);
    this.out =
        new BufferedWriter(
            new OutputStreamWriter(
                java.nio.channels.Channels.newOutputStream(channel), StandardCharsets.UTF_8),
            1 << 16);
    // Whatever of the file reaches the OS starts with this line: recovery commits the rows to the
    // history they were captured for, whichever history the recovering session writes to.
    out.write(HISTORY + "\t" + history.root() + "\n");
  }

  static SpoolWriter create(Path dir, HistoryLocation history) throws IOException {
    Files.createDirectories(dir);
    String id = System.currentTimeMillis() + "-" + UUID.randomUUID().toString().substring(0, 8);
    return new SpoolWriter(dir, id, history);
  }

  public String spoolId() {
    return spoolId;
  }

  public Path file() {
    return file;
  }

  /** Appends one record; it reaches the operating system at the next {@link #flushToOs()}. */
  public void append(HistoryRecord record) throws IOException {
    out.write(record.table().tableName());
    out.write('\t');
    out.write(RecordJson.toJson(record));
    out.write('\n');
    unsealedRecords++;
  }

  /** Hands buffered records to the OS: they survive a killed JVM from here on. */
  public void flushToOs() throws IOException {
    out.flush();
  }

  /** Bytes the spool file holds (what was handed to the OS). */
  public long bytes() throws IOException {
    return channel.size();
  }

  /** Records appended since the last seal. */
  public int unsealedRecords() {
    return unsealedRecords;
  }

  /**
   * Closes the current segment, when it has records, and forces it to disk. Returns the number of
   * the last sealed segment (0 when none yet).
   */
  public long seal() throws IOException {
    if (unsealedRecords > 0) {
      sealed++;
      out.write(SEAL + "\t" + sealed + "\n");
      out.flush();
      channel.force(false);
      unsealedRecords = 0;
    }
    return sealed;
  }

  /** Releases the lock. Files stay; {@link HistoryStore} deletes them once all is committed. */
  @Override
  public void close() throws IOException {
    try {
      out.close();
    } finally {
      try {
        lock.release();
      } finally {
        lockChannel.close();
      }
    }
  }
}
