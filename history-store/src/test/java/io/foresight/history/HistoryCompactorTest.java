package io.foresight.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.testing.LocalSpark;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryCompactorTest {
  @TempDir Path root;

  @Test
  void compactionFoldsSmallCommitFilesAndKeepsEveryRow() throws Exception {
    HistoryStore store =
        HistoryStore.open(
            root.resolve("h").toString(), root.resolve("spool"), new Configuration(), 5);
    try (SpoolWriter spool = store.newSpool()) {
      for (int i = 0; i < 5; i++) {
        spool.append(SpoolRecoveryTest.job("app", i));
        spool.seal();
        store.commitSealed(spool);
      }
    }
    SparkSession spark = LocalSpark.start(root.resolve("spark"), Map.of());
    try {
      HistoryViews.register(spark, root.resolve("h").toString());
      List<String> report = HistoryCompactor.compact(spark, root.resolve("h").toString());
      assertEquals(4, report.size());
      assertTrue(
          report.stream().anyMatch(l -> l.matches("jobs\\s+5 files compacted into 1")),
          report.toString());
      assertEquals(5L, spark.sql("SELECT count(*) FROM foresight.jobs").first().getLong(0));
      long files =
          spark
              .sql(
                  "DESCRIBE DETAIL delta.`"
                      + HistoryLocation.of(root.resolve("h").toString())
                          .tablePath(HistoryTable.JOBS)
                      + "`")
              .first()
              .getAs("numFiles");
      assertEquals(1L, files);
    } finally {
      spark.stop();
    }
  }
}
