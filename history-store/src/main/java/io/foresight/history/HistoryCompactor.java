package io.foresight.history;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Compacts the history tables with delta-spark's {@code OPTIMIZE}: every commit of the capture adds
 * a small file, and this folds them into few large ones. Needs a session with the Delta SQL
 * extension. Safe while captures run (Delta's optimistic concurrency) provided that, for a local
 * history, the session sets {@code spark.delta.logStore.file.impl} to {@link
 * io.foresight.history.internal.LocalFileLogStore} as {@code bin/foresight compact} does: the stock
 * local store can replace a racing writer's commit.
 */
public final class HistoryCompactor {
  private HistoryCompactor() {}

  /** Compacts each table; returns one line per table saying what was done. */
  public static List<String> compact(SparkSession spark, String historyPath) {
    HistoryLocation location = HistoryLocation.of(historyPath);
    List<String> report = new ArrayList<>();
    for (HistoryTable t : HistoryTable.values()) {
      List<Row> rows =
          spark.sql("OPTIMIZE " + HistoryLocation.sqlTable(location.tablePath(t))).collectAsList();
      Row metrics = rows.isEmpty() ? null : rows.get(0).getStruct(1);
      long removed = metrics == null ? 0 : metrics.getLong(metrics.fieldIndex("numFilesRemoved"));
      long added = metrics == null ? 0 : metrics.getLong(metrics.fieldIndex("numFilesAdded"));
      report.add(String.format("%-10s %d files compacted into %d", t.tableName(), removed, added));
    }
    return report;
  }
}
