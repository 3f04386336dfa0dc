package io.foresight.history;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;

/**
 * Registers the history tables in a live SparkSession as views {@code foresight.apps}, {@code
 * foresight.jobs}, {@code foresight.stages} and {@code foresight.executors}, for SQL and notebooks.
 * Needs delta-spark on the session's classpath.
 *
 * <pre>{@code
 * HistoryViews.register(spark, System.getProperty("user.home") + "/.foresight/history");
 * spark.sql("SELECT signature, avg(duration_ms) FROM foresight.stages GROUP BY 1").show();
 * }</pre>
 *
 * <p>Each view shows the latest ingest (capture session or import) of each application attempt, so
 * re-importing a log replaces what an earlier import or capture recorded. Views of revisioned
 * tables keep the latest revision per key. {@code foresight.stages} adds {@code job_input_bytes},
 * the input of the whole job the stage ran in.
 *
 * <p>Also registers {@code foresight.predictions} (every forecast Foresight made) and {@code
 * foresight.prediction_accuracy} (those predictions joined with the actuals of the run).
 *
 * <p>A table created by an older version of Foresight lacks the columns added since (Delta Kernel
 * cannot add columns to a table it writes); its view shows them as NULL, so every view has the
 * current layout and queries written for it run on any history.
 */
public final class HistoryViews {
  public static final String DATABASE = "foresight";

  private HistoryViews() {}

  /** Creates missing tables empty, then (re)creates the four views. */
  public static void register(SparkSession spark, String historyPath) {
    HistoryLocation location = HistoryLocation.of(historyPath);
    try {
      EmptyTables.ensure(location);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot create the history tables under " + location.root(), e);
    }
    spark.sql("CREATE DATABASE IF NOT EXISTS " + DATABASE);
    for (HistoryTable t : HistoryTable.values()) {
      Set<String> present =
          Set.of(
              spark
                  .sql(
                      "SELECT * FROM "
                          + HistoryLocation.sqlTable(location.tablePath(t))
                          + " LIMIT 0")
                  .columns());
      spark.sql(
          "CREATE OR REPLACE VIEW "
              + DATABASE
              + "."
              + t.tableName()
              + " AS "
              + viewSql(location, t, present));
    }
    spark.sql(
        "CREATE OR REPLACE VIEW "
            + DATABASE
            + "."
            + PredictionRecord.TABLE
            + " AS SELECT * FROM "
            + HistoryLocation.sqlTable(location.predictionsPath()));
    spark.sql(
        "CREATE OR REPLACE VIEW "
            + DATABASE
            + "."
            + PlanRecord.TABLE
            + " AS SELECT * FROM "
            + HistoryLocation.sqlTable(location.plansPath()));
    spark.sql("CREATE OR REPLACE VIEW " + DATABASE + ".prediction_accuracy AS " + ACCURACY_SQL);
  }

  /**
   * Predictions joined with what the predicted run did (by {@code run_id} = application id, target
   * and signature). Stage actuals fold the stage attempts of a signature as the forecaster does:
   * sums of work, time and bytes, maxima of peaks.
   */
  static final String ACCURACY_SQL =
      "WITH comp AS (SELECT app_id, signature,"
          + " sum(executor_run_time_ms) / 1000D AS executor_seconds,"
          + " sum(duration_ms) / 1000D AS stage_seconds,"
          + " max(executor_peak_jvm_heap_bytes) / 1073741824D AS peak_heap_gib,"
          + " max(peak_execution_memory_bytes) / 1073741824D AS peak_execution_memory_gib,"
          + " sum(shuffle_write_bytes) / 1073741824D AS shuffle_write_gib,"
          + " sum(disk_spill_bytes) / 1073741824D AS spill_gib"
          + " FROM foresight.stages WHERE status = 'COMPLETE' AND signature IS NOT NULL"
          + " GROUP BY app_id, signature),"
          + " stage_actual AS (SELECT app_id, signature, target, actual FROM comp"
          + " LATERAL VIEW stack(6, 'executor_seconds', executor_seconds, 'stage_seconds',"
          + " stage_seconds, 'peak_heap_gib', peak_heap_gib, 'peak_execution_memory_gib',"
          + " peak_execution_memory_gib, 'shuffle_write_gib', shuffle_write_gib, 'spill_gib',"
          + " spill_gib) t AS target, actual),"
          + " job AS (SELECT a.app_id, (a.end_ms - a.start_ms) / 1000D AS wall,"
          + " s.core, s.heap FROM foresight.apps a JOIN (SELECT app_id,"
          + " sum(executor_run_time_ms) / 1000D AS core,"
          + " max(executor_peak_jvm_heap_bytes) / 1073741824D AS heap FROM foresight.stages"
          + " WHERE status = 'COMPLETE' GROUP BY app_id) s ON a.app_id = s.app_id"
          + " WHERE a.end_ms IS NOT NULL),"
          + " job_actual AS (SELECT app_id, CAST(NULL AS STRING) AS signature, target, actual"
          + " FROM job LATERAL VIEW stack(3, 'job_wall_clock_seconds', wall, 'job_core_seconds',"
          + " core, 'job_peak_heap_gib', heap) t AS target, actual),"
          + " actual AS (SELECT * FROM stage_actual UNION ALL SELECT * FROM job_actual)"
          + " SELECT p.*, x.actual,"
          + " abs(p.point - x.actual) / nullif(x.actual, 0) AS abs_pct_error,"
          + " x.actual <= p.upper AS covered,"
          + " p.upper / nullif(x.actual, 0) - 1 AS over_provision"
          + " FROM foresight.predictions p JOIN actual x ON p.run_id = x.app_id"
          + " AND p.target = x.target AND p.signature <=> x.signature";

  /** The SELECT behind {@code foresight.<table>}, for a table of the current layout. */
  public static String viewSql(HistoryLocation location, HistoryTable table) {
    return viewSql(location, table, Set.copyOf(HistorySchema.columnNames(table)));
  }

  /**
   * The SELECT behind {@code foresight.<table>} when the table has the columns {@code present}: the
   * current layout's others are NULL of their type.
   */
  public static String viewSql(HistoryLocation location, HistoryTable table, Set<String> present) {
    List<String> cols = HistorySchema.columnNames(table);
    String colList =
        HistorySchema.columnDocs(table).stream()
            .map(
                c ->
                    present.contains(c.name())
                        ? "`" + c.name() + "`"
                        : "CAST(NULL AS " + c.sqlType() + ") AS `" + c.name() + "`")
            .collect(Collectors.joining(", "));
    String base = "SELECT " + colList + " FROM (" + currentIngest(location, table) + ")";
    if (table.revisioned()) {
      base =
          "SELECT "
              + colList
              + " FROM (SELECT *, row_number() OVER (PARTITION BY "
              + String.join(", ", table.keyColumns())
              + " ORDER BY revision DESC, recorded_ms DESC) AS _foresight_rn FROM ("
              + currentIngest(location, table)
              + ")) WHERE _foresight_rn = 1";
    }
    if (table == HistoryTable.STAGES) {
      String qualified = cols.stream().map(c -> "s.`" + c + "`").collect(Collectors.joining(", "));
      return "SELECT "
          + qualified
          + ", j.input_bytes AS job_input_bytes FROM ("
          + base
          + ") s LEFT JOIN (SELECT app_id, attempt_id, job_id, input_bytes FROM ("
          + currentIngest(location, HistoryTable.JOBS)
          + ")) j ON s.app_id = j.app_id AND s.attempt_id = j.attempt_id AND s.job_id = j.job_id";
    }
    return base;
  }

  /**
   * The rows of {@code table} that belong to the latest ingest (capture session or import) of their
   * application attempt, by the applications table; rows of applications without an application row
   * are all kept.
   */
  private static String currentIngest(HistoryLocation location, HistoryTable table) {
    String raw = HistoryLocation.sqlTable(location.tablePath(table));
    String apps = HistoryLocation.sqlTable(location.tablePath(HistoryTable.APPS));
    return "SELECT r.* FROM "
        + raw
        + " r LEFT JOIN (SELECT app_id AS l_app, attempt_id AS l_attempt,"
        + " max_by(ingest_id, recorded_ms) AS l_ingest FROM "
        + apps
        + " GROUP BY app_id, attempt_id) l ON r.app_id <=> l.l_app AND r.attempt_id <=>"
        + " l.l_attempt WHERE l.l_ingest IS NULL OR r.ingest_id = l.l_ingest";
  }
}
