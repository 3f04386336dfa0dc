package io.foresight.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.history.HistoryViews;
import io.foresight.testing.LocalSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin's executor side reports the heap a garbage collection left while a stage ran: here
 * each of two concurrent tasks holds 64 MiB across a collection it asks for.
 */
class HeapAfterGcTest {
  private static final int HELD = 64 << 20;

  @TempDir Path root;

  @Test
  void aStageGetsTheHeapItsCollectionsLeft() throws Exception {
    Row row = runAndRead("on", true);
    assertTrue(!row.isNullAt(0), "no heap after a collection: " + row);
    long after = row.getLong(0);
    assertTrue(after >= HELD, "a collection left at least one held block: " + after);
    assertTrue(after <= Runtime.getRuntime().maxMemory(), "within the heap: " + after);
  }

  @Test
  void itCanBeTurnedOff() throws Exception {
    Row row = runAndRead("off", false);
    assertTrue(row.isNullAt(0), row.toString());
  }

  /** Runs the stage with sampling on or off; its stage row's heap after collection. */
  private Row runAndRead(String name, boolean sample) throws Exception {
    String history = root.resolve(name).resolve("history").toString();
    SparkSession spark =
        LocalSpark.start(
            root.resolve(name).resolve("spark"),
            Map.of(
                "spark.plugins", ForesightPlugin.class.getName(),
                "spark.foresight.history.path", history,
                "spark.foresight.spool.dir", root.resolve(name).resolve("spool").toString(),
                "spark.foresight.capture.heapAfterGc", String.valueOf(sample)));
    try {
      List<Long> out =
          spark
              .range(0, 2, 1, 2)
              .mapPartitions(
                  (MapPartitionsFunction<Long, Long>)
                      it -> {
                        byte[] block = new byte[HELD];
                        block[HELD - 1] = 1;
                        System.gc();
                        List<Long> rows = new ArrayList<>();
                        it.forEachRemaining(rows::add);
                        rows.add((long) block[HELD - 1]); // the block is live across the collection
                        return rows.iterator();
                      },
                  Encoders.LONG())
              .collectAsList();
      assertEquals(4, out.size());
    } finally {
      spark.stop();
    }
    SparkSession reader = LocalSpark.start(root.resolve(name).resolve("reader"), Map.of());
    try {
      HistoryViews.register(reader, history);
      List<Row> rows =
          reader
              .sql("SELECT executor_peak_heap_after_gc_bytes FROM foresight.stages")
              .collectAsList();
      assertEquals(1, rows.size(), rows.toString());
      return rows.get(0);
    } finally {
      reader.stop();
    }
  }
}
