package io.foresight.history;

import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.utils.CloseableIterator;
import io.foresight.history.internal.QuietEngine;
import java.io.IOException;
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
              bytes += add.getLong(add.getSchema().indexOf("size"));
              files++;
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
}
