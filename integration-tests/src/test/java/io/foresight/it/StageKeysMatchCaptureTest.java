package io.foresight.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.history.HistoryViews;
import io.foresight.plan.SparkPlanTrees;
import io.foresight.plan.StageDag;
import io.foresight.testing.LocalSpark;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The planner names SQL stages as capture does: for TPC-H queries 1 to 22, with AQE on and off,
 * every shuffle-map stage signature capture recorded (and at least 95 % of all SQL stages) is a
 * stage of the DAG the planner builds from the executed physical plan. (Stages outside SQL
 * executions, such as Parquet schema inference, are RDD stages and keep the RDD recipe.)
 */
class StageKeysMatchCaptureTest {
  @TempDir Path root;

  @Test
  void everyCapturedStageIsAPlannedStage() throws Exception {
    Path tables = TpchTestTables.prepare(root, 0.01);
    Map<String, Set<String>> planned = new HashMap<>();
    Set<String> adaptiveApps = new HashSet<>();
    for (boolean aqe : List.of(true, false)) {
      Map<String, String> conf = new HashMap<>(TpchFixture.pluginConf(root));
      conf.put("spark.sql.adaptive.enabled", Boolean.toString(aqe));
      SparkSession spark = LocalSpark.start(root.resolve("spark-" + aqe), conf);
      try {
        TpchTestTables.register(spark, tables);
        Set<String> keys = new HashSet<>();
        for (int q = 1; q <= 22; q++) {
          Dataset<Row> df = spark.sql(TpchTestTables.query(q));
          df.collectAsList();
          StageDag dag = StageDag.of(SparkPlanTrees.of(df.queryExecution().executedPlan()));
          dag.stages().forEach(s -> keys.add(s.key()));
        }
        planned.put(spark.sparkContext().applicationId(), keys);
        if (aqe) {
          adaptiveApps.add(spark.sparkContext().applicationId());
        }
      } finally {
        spark.stop();
      }
    }
    SparkSession reader = LocalSpark.start(root.resolve("reader"), Map.of());
    try {
      HistoryViews.register(reader, root.resolve("history").toString());
      for (Map.Entry<String, Set<String>> e : planned.entrySet()) {
        List<Row> rows =
            reader
                .sql(
                    "SELECT stage_id, name, signature, coalesce(shuffle_write_bytes, 0) > 0,"
                        + " sql_execution_id, status, shuffle_write_bytes, num_tasks"
                        + " FROM foresight.stages WHERE app_id = '"
                        + e.getKey()
                        + "' AND sql_execution_id IS NOT NULL ORDER BY stage_id")
                .collectAsList();
        assertTrue(rows.size() >= 40, "stages captured: " + rows.size());
        StringBuilder missing = new StringBuilder();
        int matched = 0;
        int mapStages = 0;
        int mapMatched = 0;
        for (Row r : rows) {
          boolean known = e.getValue().contains(r.getString(2));
          if (r.getBoolean(3)) {
            mapStages++;
            mapMatched += known ? 1 : 0;
          }
          if (known) {
            matched++;
          } else {
            missing
                .append("\n  stage ")
                .append(r.get(0))
                .append(" (SQL execution ")
                .append(r.get(4))
                .append(", ")
                .append(r.get(5))
                .append(", shuffle write ")
                .append(r.get(6))
                .append(" B, ")
                .append(r.get(7))
                .append(" tasks) ")
                .append(r.getString(1));
          }
        }
        // Shuffle-map stages are the ones the planner puts on profiles: every one must be known.
        assertTrue(mapStages >= 30, "map stages: " + mapStages);
        // Without AQE every one must be known. Under AQE, one map stage in about six runs of the
        // 22 queries was named from a plan version the final plan does not show (timing
        // dependent; docs/DESIGN.md): it runs on the default profile. More than one fails.
        int allowed = adaptiveApps.contains(e.getKey()) ? 1 : 0;
        assertTrue(
            mapStages - mapMatched <= allowed,
            e.getKey()
                + ": "
                + (mapStages - mapMatched)
                + " of "
                + mapStages
                + " map stages the planner does not know:"
                + missing);
        // A few broadcast jobs under AQE are named from a different plan version (docs/DESIGN.md).
        assertTrue(
            matched >= 0.95 * rows.size(),
            e.getKey() + ": " + matched + " of " + rows.size() + " known; unknown:" + missing);
      }
    } finally {
      reader.stop();
    }
  }
}
