package io.foresight.history;

import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.utils.CloseableIterator;
import io.foresight.history.internal.QuietEngine;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.function.Predicate;
import org.apache.hadoop.conf.Configuration;

/**
 * The files of a Delta table's latest version, read from its log with Delta Kernel (no Spark job):
 * what a scan of the table reads. Its folder also holds the files older versions removed, until a
 * {@code VACUUM}, which listing the folder would count.
 */
public final class DeltaTableFiles {
  private DeltaTableFiles() {}

  /** The latest version's data files: their total size and number, and the version. */
  public record Live(long bytes, long files, long version) {}

  /**
   * Reads the latest snapshot of the table at {@code tablePath} (a fully qualified path).
   *
   * @throws IOException when the log cannot be read (no table there, a protocol this Kernel does
   *     not read, a file system error), with Kernel's reason
   */
  public static Live latest(String tablePath, Configuration conf) throws IOException {
    return latest(tablePath, conf, null);
  }

  /**
   * Reads the latest snapshot of the table at {@code tablePath}, counting only the files {@code
   * selected} accepts (all when it is null). It is given each file's path as the log names it,
   * decoded: relative to the table ({@code day=2026-12-05/part-0.parquet}), or, for a file the log
   * names by an absolute URI, that URI's path ({@code /other/place/part-0.parquet}).
   *
   * @throws IOException when the log cannot be read, as {@link #latest(String, Configuration)}
   */
  public static Live latest(String tablePath, Configuration conf, Predicate<String> selected)
      throws IOException {
    try {
      Engine engine = new QuietEngine(conf);
      Snapshot snapshot = TableManager.loadSnapshot(tablePath).build(engine);
      long bytes = 0;
      long files = 0;
      try (CloseableIterator<FilteredColumnarBatch> batches =
          snapshot.getScanBuilder().build().getScanFiles(engine)) {
        while (batches.hasNext()) {
          try (CloseableIterator<Row> rows = batches.next().getRows()) {
            while (rows.hasNext()) {
              Row scanFile = rows.next();
              Row add = scanFile.getStruct(scanFile.getSchema().indexOf("add"));
              if (selected == null
                  || selected.test(decoded(add.getString(add.getSchema().indexOf("path"))))) {
                bytes += add.getLong(add.getSchema().indexOf("size"));
                files++;
              }
            }
          }
        }
      }
      return new Live(bytes, files, snapshot.getVersion());
    } catch (IOException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new IOException(
          "cannot read the Delta table at " + tablePath + ": " + e.getMessage(), e);
    }
  }

  /** A log's file path (a URI, RFC 2396), decoded; its path part when it is absolute. */
  static String decoded(String logPath) {
    try {
      String path = new URI(logPath).getPath();
      return path == null ? logPath : path;
    } catch (URISyntaxException e) {
      return logPath; // not encoded as the protocol asks; taken as it is
    }
  }
}
