package io.foresight.history;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
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
      spark.sql(
          "CREATE OR REPLACE VIEW "
              + DATABASE
              + "."
              + t.tableName()
              + " AS "
              + viewSql(location, t));
    }
  }

  /** The SELECT behind {@code foresight.<table>}. */
  public static String viewSql(HistoryLocation location, HistoryTable table) {
    List<String> cols = HistorySchema.columnNames(table);
    String colList = cols.stream().map(c -> "`" + c + "`").collect(Collectors.joining(", "));
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
    String raw = "delta.`" + location.tablePath(table) + "`";
    String apps = "delta.`" + location.tablePath(HistoryTable.APPS) + "`";
    return "SELECT r.* FROM "
        + raw
        + " r LEFT JOIN (SELECT app_id AS l_app, attempt_id AS l_attempt,"
        + " max_by(ingest_id, recorded_ms) AS l_ingest FROM "
        + apps
        + " GROUP BY app_id, attempt_id) l ON r.app_id <=> l.l_app AND r.attempt_id <=>"
        + " l.l_attempt WHERE l.l_ingest IS NULL OR r.ingest_id = l.l_ingest";
  }
}
