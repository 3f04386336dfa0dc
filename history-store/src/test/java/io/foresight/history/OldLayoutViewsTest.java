package io.foresight.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.foresight.history.internal.KernelTableWriter;
import io.foresight.testing.LocalSpark;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A history whose stages table was created before {@code files_read_bytes} existed keeps its
 * layout; its {@code foresight.stages} view still has the current columns, the missing one NULL.
 */
class OldLayoutViewsTest {
  @TempDir Path dir;

  @Test
  void theViewsOfAnOlderTableShowTheNewColumnsAsNull() throws Exception {
    HistoryLocation location = HistoryLocation.of(dir.resolve("history").toString());
    StructType current = HistorySchema.of(HistoryTable.STAGES);
    StructType old = new StructType();
    for (StructField f : current.fields()) {
      if (!f.getName().equals("files_read_bytes")) {
        old = old.add(f);
      }
    }
    new KernelTableWriter(new Configuration(), 3)
        .append(
            location.tablePath(HistoryTable.STAGES),
            old,
            List.of(
                "{\"schema_version\":1,\"app_id\":\"app-old\",\"attempt_id\":\"\",\"stage_id\":4,"
                    + "\"stage_attempt_id\":0,\"num_tasks\":8,\"status\":\"COMPLETE\","
                    + "\"executor_run_time_ms\":1500,\"input_bytes\":4096,\"recorded_ms\":1}"),
            "test",
            0);

    SparkSession spark = LocalSpark.start(dir.resolve("spark"), Map.of());
    try {
      HistoryViews.register(spark, location.root().toString());
      List<String> raw =
          List.of(
              spark
                  .sql("SELECT * FROM delta.`" + location.tablePath(HistoryTable.STAGES) + "`")
                  .columns());
      assertFalse(raw.contains("files_read_bytes"), "the table keeps its layout");

      var view = spark.table("foresight.stages");
      assertEquals(
          HistorySchema.columnNames(HistoryTable.STAGES),
          List.of(view.columns()).subList(0, view.columns().length - 1));
      assertEquals("LongType", view.schema().apply("files_read_bytes").dataType().toString());
      Row r =
          spark
              .sql(
                  "SELECT stage_id, executor_run_time_ms, input_bytes, files_read_bytes"
                      + " FROM foresight.stages")
              .first();
      assertEquals(4, r.getInt(0));
      assertEquals(1500L, r.getLong(1));
      assertEquals(4096L, r.getLong(2));
      assertTrue(r.isNullAt(3));
      // Queries over the other views, which read foresight.stages, run too.
      assertEquals(
          0L, spark.sql("SELECT count(*) FROM foresight.prediction_accuracy").first().getLong(0));
    } finally {
      spark.stop();
    }
  }
}
