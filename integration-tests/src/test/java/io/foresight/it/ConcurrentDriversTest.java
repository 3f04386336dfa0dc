package io.foresight.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.foresight.history.HistoryViews;
import io.foresight.testing.LocalSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Four driver JVMs committing to the same history tables at once lose no row. */
class ConcurrentDriversTest {
  @TempDir Path root;

  @Test
  void fourDriversCommittingTogetherLoseNothing() throws Exception {
    String history = root.resolve("history").toString();
    List<ChildJvm> drivers = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        drivers.add(
            ChildJvm.start(
                ChildJvm.moduleClasspath(),
                List.of("-Xmx512m"),
                CapturedWorkload.class.getName(),
                List.of(
                    history,
                    root.resolve("spool-" + i).toString(),
                    "4",
                    "0",
                    "spark.foresight.history.commitMinGap=0")));
      }
      int expectedStages = 0;
      for (ChildJvm d : drivers) {
        assertEquals(0, d.waitFor(300_000), d.output());
        String line = d.linesStartingWith("STAGES ").get(0);
        expectedStages += Integer.parseInt(line.substring(7));
      }
      SparkSession reader = LocalSpark.start(root.resolve("reader"), Map.of());
      try {
        HistoryViews.register(reader, history);
        Row r =
            reader
                .sql(
                    "SELECT count(*), count(DISTINCT app_id, stage_id, stage_attempt_id),"
                        + " count(DISTINCT app_id) FROM foresight.stages")
                .first();
        assertEquals(expectedStages, r.getLong(0), "every stage of every driver");
        assertEquals(r.getLong(0), r.getLong(1), "none twice");
        assertEquals(4L, r.getLong(2));
        assertEquals(
            4L,
            reader
                .sql("SELECT count(*) FROM foresight.apps WHERE status = 'SUCCEEDED'")
                .first()
                .getLong(0));
      } finally {
        reader.stop();
      }
    } finally {
      drivers.forEach(ChildJvm::close);
    }
  }
}
