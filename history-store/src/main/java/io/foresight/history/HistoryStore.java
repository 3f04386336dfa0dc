package io.foresight.history;

import io.foresight.history.internal.KernelTableWriter;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The history: four Delta tables under one path, written through a local spool.
 *
 * <p>Durability contract: a record appended to a {@link SpoolWriter} and flushed to the OS is
 * committed to its table exactly once, by this session's {@link #commitSealed} or, if the JVM died
 * first, by the {@link #recoverOrphans()} of the next store opened on the same spool directory and
 * the same history (a spool's first line names its history). Each sealed segment is committed with
 * Delta transaction ids {@code (spool id + table, segment number)}, so a segment committed to some
 * tables before a crash is not committed to them twice.
 */
public final class HistoryStore {
  private static final Logger LOG = LoggerFactory.getLogger(HistoryStore.class);

  private final HistoryLocation location;
  private final Path spoolDir;
  private final Configuration hadoopConf;
  private final KernelTableWriter writer;

  private HistoryStore(
      HistoryLocation location, Path spoolDir, Configuration hadoopConf, int retries) {
    this.location = location;
    this.spoolDir = spoolDir;
    this.hadoopConf = hadoopConf;
    this.writer = new KernelTableWriter(hadoopConf, retries);
  }

  /**
   * Opens the history at {@code historyPath} (a local folder or a Hadoop URI) spooling to {@code
   * spoolDir} (always local). Nothing is read or created until the first commit.
   */
  public static HistoryStore open(
      String historyPath, Path spoolDir, Configuration hadoopConf, int commitRetries) {
    return new HistoryStore(
        HistoryLocation.of(historyPath), spoolDir.toAbsolutePath(), hadoopConf, commitRetries);
  }

  public HistoryLocation location() {
    return location;
  }

  public Path spoolDir() {
    return spoolDir;
  }

  /** The Hadoop configuration the history is reached with (the application's). */
  public Configuration hadoopConf() {
    return hadoopConf;
  }

  /** Starts a new spool for a live session. */
  public SpoolWriter newSpool() throws IOException {
    return SpoolWriter.create(spoolDir, location);
  }

  /** What one commit pass did. */
  public record CommitReport(int segments, int rows, int skippedAsCommitted) {
    CommitReport plus(CommitReport o) {
      return new CommitReport(
          segments + o.segments, rows + o.rows, skippedAsCommitted + o.skippedAsCommitted);
    }
  }

  /**
   * Commits every sealed, not yet committed segment of {@code spool}. On failure nothing is marked
   * committed past the failing segment, and the next call retries it.
   */
  public CommitReport commitSealed(SpoolWriter spool) throws IOException {
    return commitSealed(spool.spoolId());
  }

  /** Deletes the spool's files; call after its last segment was committed and it was closed. */
  public void discard(SpoolWriter spool) throws IOException {
    SpoolFiles.deleteAll(spoolDir, spool.spoolId());
  }

  /**
   * Commits what spools of dead sessions left behind (their lock is free), then deletes them. A
   * spool still locked by a live session, in this JVM or another, is left alone, and so is a spool
   * of another history: its rows wait for a session that writes to that history.
   */
  public CommitReport recoverOrphans() throws IOException {
    CommitReport total = new CommitReport(0, 0, 0);
    Map<String, List<String>> otherHistories = new TreeMap<>();
    int leftForOthers = 0;
    for (String id : SpoolFiles.ids(spoolDir)) {
      boolean delete = false; // committed, or its data already gone
      try (FileChannel lockChannel =
          FileChannel.open(
              SpoolFiles.lock(spoolDir, id), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        FileLock lock;
        try {
          lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
          continue; // held by a live session of this JVM
        }
        if (lock == null) {
          continue; // held by another live JVM
        }
        try {
          String owner;
          try {
            owner = historyOf(id);
          } catch (NoSuchFileException gone) {
            delete = true; // its session committed it all and is deleting it: tidy what is left
            continue;
          }
          if (owner != null && !sameHistory(owner)) {
            otherHistories
                .computeIfAbsent(owner, h -> new ArrayList<>())
                .add(SpoolFiles.data(spoolDir, id).getFileName().toString());
            leftForOthers++;
            continue;
          }
          sealTail(id);
          CommitReport r = commitSealed(id);
          LOG.info(
              "Foresight recovered spool {}: {} rows in {} segments committed, {} already"
                  + " committed",
              id,
              r.rows(),
              r.segments(),
              r.skippedAsCommitted());
          total = total.plus(r);
          delete = true;
        } finally {
          lock.release();
        }
      }
      if (delete) {
        SpoolFiles.deleteAll(spoolDir, id);
      }
    }
    if (leftForOthers > 0) {
      LOG.info(
          "Foresight: {} spool(s) in {} hold rows for other histories ({}); an application or"
              + " import writing to that history commits them (if it is gone for good, delete its"
              + " spools)",
          leftForOthers,
          spoolDir,
          otherHistories);
    }
    return total;
  }

  /**
   * The root of the history that spool {@code id} holds rows for, from its first line; null for a
   * spool that does not say (written before spools named their history, or without one complete
   * line: then it holds no complete record either).
   */
  private String historyOf(String id) throws IOException {
    try (InputStream raw =
        new BufferedInputStream(Files.newInputStream(SpoolFiles.data(spoolDir, id)), 4096)) {
      String first = new LineReader(raw, 0).next();
      String head = SpoolWriter.HISTORY + "\t";
      return first != null && first.startsWith(head) ? first.substring(head.length()) : null;
    }
  }

  /** Whether {@code root} (a spool's history) names this store's history. */
  private boolean sameHistory(String root) {
    HistoryLocation other = HistoryLocation.of(root);
    Path mine = location.localFolder();
    Path theirs = other.localFolder();
    return mine != null && theirs != null
        ? mine.normalize().equals(theirs.normalize())
        : location.root().equals(other.root());
  }

  private CommitReport commitSealed(String spoolId) throws IOException {
    Progress progress = Progress.read(SpoolFiles.done(spoolDir, spoolId));
    Path data = SpoolFiles.data(spoolDir, spoolId);
    CommitReport report = new CommitReport(0, 0, 0);
    try (InputStream raw = Files.newInputStream(data)) {
      raw.skipNBytes(progress.offset());
      LineReader in = new LineReader(new BufferedInputStream(raw, 1 << 16), progress.offset());
      Map<HistoryTable, List<String>> segment = new EnumMap<>(HistoryTable.class);
      String line;
      while ((line = in.next()) != null) {
        int tab = line.indexOf('\t');
        if (tab < 0) {
          LOG.warn(
              "Foresight spool {}: skipping a malformed line at byte {}", spoolId, in.offset());
          continue;
        }
        String head = line.substring(0, tab);
        if (head.equals(SpoolWriter.HISTORY)) {
          continue;
        }
        if (head.equals(SpoolWriter.SEAL)) {
          long seq = Long.parseLong(line.substring(tab + 1).trim());
          report = report.plus(commitSegment(spoolId, seq, segment));
          progress = new Progress(seq, in.offset());
          progress.write(SpoolFiles.done(spoolDir, spoolId));
          segment = new EnumMap<>(HistoryTable.class);
        } else {
          HistoryTable table;
          try {
            table = HistoryTable.byName(head);
          } catch (IllegalArgumentException e) {
            LOG.warn("Foresight spool {}: skipping a line for unknown table '{}'", spoolId, head);
            continue;
          }
          segment.computeIfAbsent(table, t -> new ArrayList<>()).add(line.substring(tab + 1));
        }
      }
    }
    return report;
  }

  private CommitReport commitSegment(
      String spoolId, long seq, Map<HistoryTable, List<String>> segment) throws IOException {
    int rows = 0;
    int skipped = 0;
    for (Map.Entry<HistoryTable, List<String>> e : segment.entrySet()) {
      HistoryTable table = e.getKey();
      KernelTableWriter.Outcome outcome =
          writer.append(
              location.tablePath(table),
              HistorySchema.of(table),
              e.getValue(),
              "foresight-spool-" + spoolId + "-" + table.tableName(),
              seq);
      if (outcome == KernelTableWriter.Outcome.COMMITTED) {
        rows += e.getValue().size();
      } else {
        skipped++;
      }
    }
    return new CommitReport(1, rows, skipped);
  }

  /**
   * Cuts a torn last line (a JVM killed mid-write) and seals records written after the last seal,
   * so that recovery commits them as one more segment.
   */
  private void sealTail(String spoolId) throws IOException {
    Path data = SpoolFiles.data(spoolDir, spoolId);
    long lastSeal = 0;
    boolean tailHasRecords = false;
    long endOfLastLine = 0;
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(data), 1 << 16)) {
      LineReader in = new LineReader(raw, 0);
      String line;
      while ((line = in.next()) != null) {
        endOfLastLine = in.offset();
        if (line.startsWith(SpoolWriter.SEAL + "\t")) {
          lastSeal = Long.parseLong(line.substring(SpoolWriter.SEAL.length() + 1).trim());
          tailHasRecords = false;
        } else if (!line.startsWith(SpoolWriter.HISTORY + "\t")) {
          tailHasRecords = true;
        }
      }
    }
    try (FileChannel ch = FileChannel.open(data, StandardOpenOption.WRITE)) {
      ch.truncate(endOfLastLine);
      if (tailHasRecords) {
        ch.position(endOfLastLine);
        ch.write(StandardCharsets.UTF_8.encode(SpoolWriter.SEAL + "\t" + (lastSeal + 1) + "\n"));
        ch.force(false);
      }
    }
  }

  /** How far a spool is committed: the last committed segment and the byte after its seal. */
  private record Progress(long segment, long offset) {
    static Progress read(Path file) throws IOException {
      if (!Files.exists(file)) {
        return new Progress(0, 0);
      }
      String[] parts = Files.readString(file).trim().split(" ");
      return new Progress(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
    }

    void write(Path file) throws IOException {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, segment + " " + offset + "\n");
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Complete lines only (a line without its newline is torn and not returned), with offsets. */
  private static final class LineReader {
    private final InputStream in;
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream(1024);
    private long offset;

    LineReader(InputStream in, long start) {
      this.in = in;
      this.offset = start;
    }

    String next() throws IOException {
      buf.reset();
      int b;
      long read = 0;
      while ((b = in.read()) != -1) {
        read++;
        if (b == '\n') {
          offset += read;
          return buf.toString(StandardCharsets.UTF_8);
        }
        buf.write(b);
      }
      return null;
    }

    /** The byte after the last complete line returned. */
    long offset() {
      return offset;
    }
  }
}
