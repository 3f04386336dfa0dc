package io.foresight.history;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  /**
   * Compacts each table, the {@code predictions} and {@code plans} tables included (a planned
   * application adds a file to each); returns one line per table saying what was done.
   */
  public static List<String> compact(SparkSession spark, String historyPath) {
    HistoryLocation location = HistoryLocation.of(historyPath);
    try {
      EmptyTables.ensure(location); // a history from before predictions and plans were written
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot create the history tables under " + location.root(), e);
    }
    Map<String, String> tables = new LinkedHashMap<>();
    for (HistoryTable t : HistoryTable.values()) {
      tables.put(t.tableName(), location.tablePath(t));
    }
    tables.put(PredictionRecord.TABLE, location.predictionsPath());
    tables.put(PlanRecord.TABLE, location.plansPath());
    List<String> report = new ArrayList<>();
    for (Map.Entry<String, String> t : tables.entrySet()) {
      List<Row> rows =
          spark.sql("OPTIMIZE " + HistoryLocation.sqlTable(t.getValue())).collectAsList();
      Row metrics = rows.isEmpty() ? null : rows.get(0).getStruct(1);
      long removed = metrics == null ? 0 : metrics.getLong(metrics.fieldIndex("numFilesRemoved"));
      long added = metrics == null ? 0 : metrics.getLong(metrics.fieldIndex("numFilesAdded"));
      report.add(String.format("%-11s %d files compacted into %d", t.getKey(), removed, added));
    }
    return report;
  }
}
