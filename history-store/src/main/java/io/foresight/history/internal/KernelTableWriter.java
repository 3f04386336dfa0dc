package io.foresight.history.internal;

import io.delta.kernel.DataWriteContext;
import io.delta.kernel.Operation;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.Transaction;
import io.delta.kernel.TransactionCommitResult;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.ConcurrentTransactionException;
import io.delta.kernel.exceptions.ConcurrentWriteException;
import io.delta.kernel.exceptions.KernelEngineException;
import io.delta.kernel.exceptions.TableAlreadyExistsException;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.hook.PostCommitHook;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends JSON rows to a Delta table with Delta Kernel: no Spark job. The only class that touches
 * Kernel's experimental and internal APIs (DESIGN-NOTES §5).
 *
 * <p>Each append carries a Delta transaction id ({@code txn} action): an append whose (application
 * id, version) the table already holds is skipped, which makes replaying a spool segment after a
 * crash exactly-once.
 */
public final class KernelTableWriter {
  private static final Logger LOG = LoggerFactory.getLogger(KernelTableWriter.class);
  private static final String ENGINE_INFO = "Foresight";
  private static final int ENGINE_ATTEMPTS = 4;

  private final Engine engine;
  private final int maxRetries;
  private final Set<String> warnedOlderLayout = ConcurrentHashMap.newKeySet();

  public KernelTableWriter(Configuration hadoopConf, int maxRetries) {
    this.engine = new QuietEngine(forLocalHistory(hadoopConf));
    this.maxRetries = maxRetries;
  }

  /**
   * Local files get two changes. First, commits are published by {@link LocalFileLogStore}, whose
   * no-overwrite write is atomic across writers (the stock store's rename can replace a racing
   * writer's commit).
   *
   * <p>Second, Hadoop's default local file system keeps a {@code .crc} file beside each file and
   * renames it separately from the data. When two writers race for the same Delta log version, the
   * loser's {@code .crc} can replace the winner's and that commit then fails every checksum check.
   * The raw local file system writes no {@code .crc}; the log store's rename-without-overwrite
   * still makes commits atomic, and readers skip verification when no {@code .crc} exists.
   */
  static Configuration forLocalHistory(Configuration conf) {
    Configuration c = new Configuration(conf);
    if (c.get(LocalFileLogStore.KERNEL_CONF_KEY) == null) {
      c.set(LocalFileLogStore.KERNEL_CONF_KEY, LocalFileLogStore.class.getName());
    }
    c.set("fs.file.impl", "org.apache.hadoop.fs.RawLocalFileSystem");
    c.setBoolean("fs.file.impl.disable.cache", true);
    c.set("fs.AbstractFileSystem.file.impl", "org.apache.hadoop.fs.local.RawLocalFs");
    return c;
  }

  /** The outcome of one append. */
  public enum Outcome {
    COMMITTED,
    ALREADY_COMMITTED
  }

  /**
   * Appends {@code jsonRows} (one JSON object per row, keys = column names) to the table at {@code
   * tablePath}, creating it with {@code schema} when absent.
   *
   * @throws UncheckedIOException when the table cannot be read or written
   */
  public Outcome append(
      String tablePath, StructType schema, List<String> jsonRows, String txnAppId, long txnVersion)
      throws IOException {
    // An engine error (an I/O failure while reading the log) may be transient on shared storage.
    // Retrying the whole append is safe: the transaction id turns a retry of a commit that did
    // land into ALREADY_COMMITTED.
    for (int attempt = 1; ; attempt++) {
      try {
        return appendOnce(tablePath, schema, jsonRows, txnAppId, txnVersion);
      } catch (KernelEngineException e) {
        if (attempt >= ENGINE_ATTEMPTS) {
          throw new IOException("Cannot append to " + tablePath + ": " + e.getMessage(), e);
        }
        LOG.debug("Retrying an append to {} after {}", tablePath, e.toString());
        try {
          Thread.sleep(50L * attempt);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IOException("Interrupted while appending to " + tablePath, ie);
        }
      }
    }
  }

  private Outcome appendOnce(
      String tablePath, StructType schema, List<String> jsonRows, String txnAppId, long txnVersion)
      throws IOException {
    Snapshot snapshot = loadOrCreate(tablePath, schema);
    StructType tableSchema = tableSchema(snapshot, tablePath, schema);
    Transaction txn;
    try {
      txn =
          snapshot
              .buildUpdateTableTransaction(ENGINE_INFO, Operation.WRITE)
              .withTransactionId(txnAppId, txnVersion)
              .withMaxRetries(maxRetries)
              .build(engine);
    } catch (ConcurrentTransactionException e) {
      return Outcome.ALREADY_COMMITTED;
    }
    Row txnState = txn.getTransactionState(engine);
    ColumnarBatch batch =
        engine
            .getJsonHandler()
            .parseJson(new StringVector(jsonRows), tableSchema, Optional.empty());
    CloseableIterator<FilteredColumnarBatch> logical =
        Utils.singletonCloseableIterator(new FilteredColumnarBatch(batch, Optional.empty()));
    CloseableIterator<FilteredColumnarBatch> physical =
        Transaction.transformLogicalData(engine, txnState, logical, Map.of());
    DataWriteContext ctx = Transaction.getWriteContext(engine, txnState, Map.of());
    List<Row> actions = new ArrayList<>();
    try (CloseableIterator<DataFileStatus> files =
            engine
                .getParquetHandler()
                .writeParquetFiles(
                    fileSystemPath(ctx.getTargetDirectory()),
                    physical,
                    ctx.getStatisticsColumns());
        CloseableIterator<Row> rows =
            Transaction.generateAppendActions(engine, txnState, files, ctx)) {
      rows.forEachRemaining(actions::add);
    }
    TransactionCommitResult result;
    try {
      result =
          txn.commit(
              engine,
              CloseableIterable.inMemoryIterable(Utils.toCloseableIterator(actions.iterator())));
    } catch (ConcurrentTransactionException e) {
      return Outcome.ALREADY_COMMITTED;
    } catch (ConcurrentWriteException e) {
      throw new IOException("Commit to " + tablePath + " kept conflicting after retries", e);
    }
    runHooks(result, tablePath);
    return Outcome.COMMITTED;
  }

  /**
   * The folder Kernel names as a URI ({@code file:/a%20b/t}), as the Hadoop path string its Parquet
   * writer expects ({@code file:/a b/t}). Passed on encoded, a table under a folder with a space (a
   * home folder such as {@code /Users/Jane Doe}) got its data files in a folder {@code a%20b}
   * beside it; its log still found them, by absolute paths.
   */
  static String fileSystemPath(String kernelUri) {
    try {
      return new org.apache.hadoop.fs.Path(new java.net.URI(kernelUri)).toString();
    } catch (java.net.URISyntaxException e) {
      return kernelUri; // already a path
    }
  }

  private void runHooks(TransactionCommitResult result, String tablePath) {
    for (PostCommitHook hook : result.getPostCommitHooks()) {
      try {
        hook.threadSafeInvoke(engine);
      } catch (IOException | RuntimeException e) {
        // A missed checkpoint or checksum costs read time only; the commit itself is durable.
        LOG.warn("Post-commit hook {} failed on {}: {}", hook.getType(), tablePath, e.toString());
      }
      if (hook.getType() == PostCommitHook.PostCommitHookType.CHECKPOINT) {
        dropStaleLastCheckpointChecksum(tablePath);
      }
    }
  }

  /**
   * Deletes Hadoop's checksum sidecar of {@code _last_checkpoint}, left by Foresight versions that
   * wrote through the checksummed local file system. This writer rewrites {@code _last_checkpoint}
   * in place through the raw file system, so an old sidecar no longer matches, and a checksummed
   * reader (delta-spark on a local path) then fails with a ChecksumException on every read. With no
   * sidecar, readers simply skip verification. Commit files are never rewritten, so their sidecars
   * stay valid.
   */
  static void dropStaleLastCheckpointChecksum(String tablePath) {
    try {
      java.nio.file.Path table = io.foresight.history.HistoryLocation.localPath(tablePath);
      if (table == null) {
        return;
      }
      java.nio.file.Files.deleteIfExists(
          table.resolve("_delta_log").resolve("._last_checkpoint.crc"));
    } catch (IOException | RuntimeException e) {
      LOG.debug(
          "Cannot remove the checksum file of {}/_delta_log/_last_checkpoint: {}", tablePath, e);
    }
  }

  /** Creates the table, empty, unless it exists. */
  public void createIfAbsent(String tablePath, StructType schema) {
    loadOrCreate(tablePath, schema);
  }

  /**
   * The schema rows are written with: the table's own. A table created by an older Foresight lacks
   * the columns added since; Delta Kernel 4.2 can add columns only to column-mapped tables, which
   * it cannot write, so those columns are not recorded in such a table (a warning says which, once
   * per table). Every column the table has is still written. A new history path gets the full
   * layout.
   */
  private StructType tableSchema(Snapshot snapshot, String tablePath, StructType wanted) {
    StructType have = snapshot.getSchema();
    List<StructField> missing = missingColumns(have, wanted);
    if (!missing.isEmpty() && warnedOlderLayout.add(tablePath)) {
      LOG.warn(
          "History table {} has an older layout without column(s) {}: they are not recorded there."
              + " Point spark.foresight.history.path at a new location to record them.",
          tablePath,
          missing.stream().map(StructField::getName).toList());
    }
    return have;
  }

  /** Columns of {@code wanted} that {@code existing} lacks (names compared case-insensitively). */
  static List<StructField> missingColumns(StructType existing, StructType wanted) {
    Set<String> have = new HashSet<>();
    for (StructField f : existing.fields()) {
      have.add(f.getName().toLowerCase(Locale.ROOT));
    }
    List<StructField> out = new ArrayList<>();
    for (StructField f : wanted.fields()) {
      if (!have.contains(f.getName().toLowerCase(Locale.ROOT))) {
        out.add(f);
      }
    }
    return out;
  }

  private void checkpointQuietly(Snapshot snapshot) {
    try {
      snapshot.writeCheckpoint(engine);
      dropStaleLastCheckpointChecksum(snapshot.getPath());
    } catch (IOException | RuntimeException e) {
      LOG.debug("No checkpoint for the new table {}: {}", snapshot.getPath(), e.toString());
    }
  }

  private Snapshot loadOrCreate(String tablePath, StructType schema) {
    try {
      return TableManager.loadSnapshot(tablePath).build(engine);
    } catch (TableNotFoundException e) {
      try {
        Transaction create =
            TableManager.buildCreateTableTransaction(tablePath, schema, ENGINE_INFO)
                .withMaxRetries(maxRetries)
                .build(engine);
        TransactionCommitResult created = create.commit(engine, CloseableIterable.emptyIterable());
        // The version checksum of version 0 lets the next commit write its own incrementally,
        // instead of replaying the whole log.
        runHooks(created, tablePath);
        // A checkpoint of version 0 spares every later reader a "no checkpoint" warning.
        created.getPostCommitSnapshot().ifPresent(this::checkpointQuietly);
      } catch (TableAlreadyExistsException | ConcurrentWriteException raced) {
        // Another writer created it first; load theirs.
      }
      return TableManager.loadSnapshot(tablePath).build(engine);
    }
  }
}
