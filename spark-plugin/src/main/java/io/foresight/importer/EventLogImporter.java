package io.foresight.importer;

import io.foresight.history.HistoryStore;
import io.foresight.history.SpoolWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;

/**
 * Imports Spark event logs into the history: discovery, replay through the capture pipeline, and a
 * commit per log through the durable spool (so an interrupted import loses nothing either). Logs
 * are read in parallel, at most {@code threads} at a time.
 */
public final class EventLogImporter {
  private EventLogImporter() {}

  /** Every log looked at, in discovery order, refusals included. */
  public record Summary(List<ImportResult> results) {
    public long imported() {
      return results.stream().filter(ImportResult::imported).count();
    }
  }

  public static Summary run(
      List<Path> inputs, HistoryStore store, int threads, PrintStream progressOut, boolean terminal)
      throws InterruptedException {
    return run(LogDiscovery.discover(inputs), store, threads, progressOut, terminal);
  }

  /**
   * As {@link #run(List, HistoryStore, int, PrintStream, boolean)}, for paths given as the command
   * line gives them: local paths, or URIs of a Hadoop file system ({@code hdfs://nn/spark-logs},
   * {@code s3a://bucket/events}) reached with {@code hadoopConf}.
   */
  public static Summary run(
      List<String> inputs,
      Configuration hadoopConf,
      HistoryStore store,
      int threads,
      PrintStream progressOut,
      boolean terminal)
      throws InterruptedException {
    return run(LogDiscovery.discover(inputs, hadoopConf), store, threads, progressOut, terminal);
  }

  private static Summary run(
      LogDiscovery.Found found,
      HistoryStore store,
      int threads,
      PrintStream progressOut,
      boolean terminal)
      throws InterruptedException {
    long totalBytes = found.logs().stream().mapToLong(LogSource::size).sum();
    ImportProgress progress =
        new ImportProgress(progressOut, terminal, found.logs().size(), totalBytes);
    List<ImportResult> results = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
    try {
      List<Future<ImportResult>> futures = new ArrayList<>();
      for (LogSource log : found.logs()) {
        futures.add(
            pool.submit(
                () -> {
                  ImportResult r = importOne(log, store, progress);
                  progress.done(r);
                  return r;
                }));
      }
      for (Future<ImportResult> f : futures) {
        try {
          results.add(f.get());
        } catch (java.util.concurrent.ExecutionException e) {
          // importOne catches everything; this is a bug, but still no reason to stop the run
          results.add(ImportResult.refused("?", "internal error: " + e.getCause()));
        }
      }
    } finally {
      pool.shutdownNow();
      progress.finish();
    }
    for (LogDiscovery.Refusal r : found.refused()) {
      results.add(ImportResult.refused(r.path(), r.reason()));
    }
    return new Summary(results);
  }

  /**
   * Replays the logs under {@code path} through the capture pipeline without writing anything: what
   * {@code import --dry-run} prints, and what the throughput benchmark measures. Files that are not
   * event logs come last, refused.
   */
  public static List<ImportResult> dryRun(Path path) throws IOException {
    return dryRun(LogDiscovery.discover(List.of(path)));
  }

  /** As {@link #dryRun(Path)}, for a local path or a Hadoop file system's URI. */
  public static List<ImportResult> dryRun(String path, Configuration hadoopConf)
      throws IOException {
    return dryRun(LogDiscovery.discover(List.of(path), hadoopConf));
  }

  private static List<ImportResult> dryRun(LogDiscovery.Found found) throws IOException {
    List<ImportResult> out = new ArrayList<>();
    for (LogSource log : found.logs()) {
      out.add(new EventLogReplay(log, "dry-run", r -> {}, n -> {}).run());
    }
    for (LogDiscovery.Refusal r : found.refused()) {
      out.add(ImportResult.refused(r.path(), r.reason()));
    }
    return out;
  }

  /**
   * The decompressed JSON lines of the first log under {@code path}, all parts in order: what
   * Spark's own replay reads.
   */
  public static java.io.InputStream openJson(Path path) throws IOException {
    LogSource log = LogDiscovery.discover(List.of(path)).logs().get(0);
    List<java.io.InputStream> parts = new ArrayList<>();
    for (LogSource.Part part : log.parts()) {
      parts.add(Codecs.decode(part.opener().open(), part.codec()));
    }
    return new java.io.SequenceInputStream(java.util.Collections.enumeration(parts));
  }

  static ImportResult importOne(LogSource log, HistoryStore store, ImportProgress progress) {
    SpoolWriter spool;
    try {
      spool = store.newSpool();
    } catch (IOException e) {
      return ImportResult.refused(log.path(), "cannot open the spool: " + e.getMessage());
    }
    ImportResult result;
    try {
      EventLogReplay replay =
          new EventLogReplay(log, "import-" + UUID.randomUUID(), spool::append, progress::advance);
      result = replay.run();
      if (result.imported()) {
        spool.seal();
        store.commitSealed(spool);
      }
    } catch (EventLogReplay.LogUnreadableException e) {
      closeQuietly(spool);
      discardQuietly(store, spool);
      return ImportResult.refused(log.path(), e.getMessage());
    } catch (IOException | RuntimeException e) {
      closeQuietly(spool);
      return ImportResult.refused(
          log.path(), "cannot write the history (rows kept in the spool): " + e);
    }
    closeQuietly(spool);
    discardQuietly(store, spool);
    return result;
  }

  private static void discardQuietly(HistoryStore store, SpoolWriter spool) {
    try {
      store.discard(spool);
    } catch (IOException e) {
      // committed already; a leftover spool file is replayed idempotently later
    }
  }

  private static void closeQuietly(SpoolWriter spool) {
    try {
      spool.close();
    } catch (IOException ignored) {
      // the spool stays on disk for recovery
    }
  }
}
