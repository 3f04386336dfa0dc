package io.foresight.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.history.HistoryViews;
import io.foresight.testing.LocalSpark;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Structured Streaming query with the plugin on: every micro-batch's stages are captured, and the
 * same logical stage gets the same signature in every batch, so that a streaming job's stages are
 * components the forecaster can learn like a batch job's.
 */
class StreamingCaptureTest {
  @TempDir Path root;

  @Test
  void eachMicroBatchStageIsCapturedUnderOneSignature() throws Exception {
    SparkSession spark = LocalSpark.start(root.resolve("spark"), TpchFixture.pluginConf(root));
    String appId = spark.sparkContext().applicationId();
    StreamingQuery q =
        spark
            .readStream()
            .format("rate")
            .option("rowsPerSecond", "200")
            .load()
            .selectExpr("value % 10 AS k")
            .groupBy("k")
            .count()
            .writeStream()
            .format("memory")
            .queryName("counts")
            .outputMode("complete")
            .option("checkpointLocation", root.resolve("checkpoint").toString())
            .trigger(Trigger.ProcessingTime("300 milliseconds"))
            .start();
    long batches;
    try {
      while (q.lastProgress() == null || q.lastProgress().batchId() < 6) {
        assertTrue(q.isActive(), "the query stopped: " + q.exception());
        Thread.sleep(100);
      }
    } finally {
      q.stop();
      batches = q.lastProgress().batchId() + 1;
      spark.stop();
    }
    SparkSession reader = LocalSpark.start(root.resolve("reader"), Map.of());
    try {
      HistoryViews.register(reader, root.resolve("history").toString());
      // Per signature: the batches (SQL executions) its stages ran in, and its operators.
      List<Row> rows =
          reader
              .sql(
                  "SELECT s.signature, count(*) AS stages,"
                      + " count(DISTINCT j.sql_execution_id) AS executions,"
                      + " first(array_join(s.operators, ' > ')) AS ops"
                      + " FROM foresight.stages s JOIN foresight.jobs j"
                      + " ON s.app_id = j.app_id AND s.job_id = j.job_id"
                      + " WHERE s.app_id = '"
                      + appId
                      + "' AND s.status = 'COMPLETE' GROUP BY s.signature ORDER BY ops")
              .collectAsList();
      // The scan and partial aggregation, and the stateful aggregation after the shuffle.
      assertEquals(2, rows.size(), rows.toString());
      assertTrue(rows.get(0).getString(3).contains("StateStoreSave"), rows.toString());
      assertTrue(rows.get(1).getString(3).startsWith("MicroBatchScan"), rows.toString());
      for (Row r : rows) {
        assertTrue(
            r.getLong(2) >= batches - 1,
            "one stage of this signature per batch (" + batches + " batches): " + rows);
        assertEquals(r.getLong(1), r.getLong(2), "one stage per batch: " + rows);
      }
      // The application row counts every stage row, a batch that stop() interrupted included.
      Row app =
          reader
              .sql(
                  "SELECT a.status, a.stage_count, (SELECT count(*) FROM foresight.stages s"
                      + " WHERE s.app_id = a.app_id) FROM foresight.apps a WHERE a.app_id = '"
                      + appId
                      + "'")
              .first();
      assertEquals("SUCCEEDED", app.getString(0));
      assertEquals(app.getLong(2), (long) app.getInt(1), app.toString());
      assertTrue(
          app.getLong(2) >= rows.stream().mapToLong(r -> r.getLong(1)).sum(), app.toString());
    } finally {
      reader.stop();
    }
  }
}
