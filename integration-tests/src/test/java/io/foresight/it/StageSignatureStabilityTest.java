package io.foresight.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.examples.RecurringEtlJob;
import io.foresight.history.HistoryViews;
import io.foresight.testing.LocalSpark;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same job on two days (different data volume, dated input paths, shuffle partition counts)
 * gets the same stage signatures; a different query gets different ones.
 */
class StageSignatureStabilityTest {
  @TempDir Path root;

  private String run(Path input, String day, int partitions, boolean sameJob) {
    Map<String, String> conf = new HashMap<>(TpchFixture.pluginConf(root));
    conf.put("spark.sql.shuffle.partitions", String.valueOf(partitions));
    SparkSession spark = LocalSpark.start(root.resolve("spark-" + day), conf);
    String appId = spark.sparkContext().applicationId();
    try {
      if (sameJob) {
        RecurringEtlJob.run(spark, input, root.resolve("out").resolve(day));
      } else {
        spark
            .read()
            .parquet(input.resolve("parquet/orders").toString())
            .groupBy("o_orderpriority")
            .count()
            .orderBy("o_orderpriority")
            .collectAsList();
      }
    } finally {
      spark.stop();
    }
    return appId;
  }

  private static List<String> signatures(SparkSession reader, String appId) {
    return reader
        .sql(
            "SELECT signature FROM foresight.stages WHERE app_id = '"
                + appId
                + "' ORDER BY stage_id")
        .collectAsList()
        .stream()
        .map(r -> r.getString(0))
        .sorted() // AQE submits independent query stages in either order
        .toList();
  }

  @Test
  void sameJobSameSignaturesDifferentQueryDifferentSignatures() throws Exception {
    Path day1 = TpchFixture.prepare(root, "2026-11-01", 0.01);
    Path day2 = TpchFixture.prepare(root, "2026-11-02", 0.03);
    String first = run(day1, "2026-11-01", 4, true);
    String second = run(day2, "2026-11-02", 7, true);
    String other = run(day1, "other", 4, false);

    SparkSession reader = LocalSpark.start(root.resolve("reader"), Map.of());
    try {
      HistoryViews.register(reader, root.resolve("history").toString());
      List<String> a = signatures(reader, first);
      List<String> b = signatures(reader, second);
      List<String> c = signatures(reader, other);
      assertTrue(a.size() >= 6, "the ETL job has several stages: " + a);
      assertEquals(a, b, "same job, other day, 3x the data, other partition count");
      Set<String> shared = new HashSet<>(a);
      shared.retainAll(c);
      assertTrue(
          shared.isEmpty(),
          "a different query shares no signature: "
              + reader
                  .sql(
                      "SELECT app_id, stage_id, name, signature, sql_execution_id FROM"
                          + " foresight.stages WHERE signature IN ('"
                          + String.join("','", shared)
                          + "')")
                  .collectAsList());

      List<Row> inputs =
          reader
              .sql(
                  "SELECT app_id, sum(input_bytes) FROM foresight.stages WHERE app_id IN ('"
                      + first
                      + "', '"
                      + second
                      + "') GROUP BY app_id ORDER BY 2")
              .collectAsList();
      assertEquals(first, inputs.get(0).getString(0), "day 2 read more data");
      assertTrue(inputs.get(1).getLong(1) > 2 * inputs.get(0).getLong(1));
    } finally {
      reader.stop();
    }
  }
}
