package io.foresight.history;

import java.util.List;

/**
 * The history tables. Each is a Delta table in its own folder under the history path. Tables of
 * mutable entities (applications, executors) are append-only with a {@code revision} column; the
 * SQL views keep the latest revision per key.
 */
public enum HistoryTable {
  APPS("apps", AppRecord.class, List.of("app_id", "attempt_id"), true),
  JOBS("jobs", JobRecord.class, List.of("app_id", "attempt_id", "job_id"), false),
  STAGES(
      "stages",
      StageRecord.class,
      List.of("app_id", "attempt_id", "stage_id", "stage_attempt_id"),
      false),
  EXECUTORS(
      "executors", ExecutorRecord.class, List.of("app_id", "attempt_id", "executor_id"), true);

  private final String tableName;
  private final Class<? extends HistoryRecord> recordClass;
  private final List<String> keyColumns;
  private final boolean revisioned;

  HistoryTable(
      String tableName,
      Class<? extends HistoryRecord> recordClass,
      List<String> keyColumns,
      boolean revisioned) {
    this.tableName = tableName;
    this.recordClass = recordClass;
    this.keyColumns = keyColumns;
    this.revisioned = revisioned;
  }

  /** The folder name under the history path, and the view name under {@code foresight.}. */
  public String tableName() {
    return tableName;
  }

  public Class<? extends HistoryRecord> recordClass() {
    return recordClass;
  }

  /** The columns that identify one entity; the views keep one row per key. */
  public List<String> keyColumns() {
    return keyColumns;
  }

  /** True when a key may have several rows, of which the highest {@code revision} is current. */
  public boolean revisioned() {
    return revisioned;
  }

  public static HistoryTable byName(String name) {
    for (HistoryTable t : values()) {
      if (t.tableName.equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException("Unknown history table '" + name + "'");
  }
}
