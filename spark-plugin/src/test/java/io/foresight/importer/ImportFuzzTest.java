package io.foresight.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.history.HistoryStore;
import io.foresight.history.HistoryViews;
import io.foresight.testing.LocalSpark;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random truncation, byte flips and garbage lines in corpus logs never raise out of the importer
 * and never corrupt the tables: afterwards every view reads, and a clean log still imports.
 */
class ImportFuzzTest {
  @TempDir Path root;

  private static final List<String> SEEDS =
      List.of(
          "apache-spark/local-1642039451826",
          "qubole-sparklens/local-1532512550423",
          "nvidia-spark-rapids-tools/aqeshuffle_eventlog.zstd",
          "nvidia-spark-rapids-tools/db_sim_eventlog/eventlog-2021-06-15--15-00.gz");

  @Test
  void mutatedLogsNeverBreakTheImportOrTheTables() throws Exception {
    Random rnd = new Random(20261122);
    Path fuzz = Files.createDirectories(root.resolve("fuzz"));
    int made = 0;
    for (String seed : SEEDS) {
      byte[] original = Files.readAllBytes(CorpusImportTest.corpus().resolve(seed));
      String ext = seed.endsWith(".zstd") ? ".zstd" : seed.endsWith(".gz") ? ".gz" : "";
      for (int i = 0; i < 2; i++) {
        Files.write(fuzz.resolve("trunc-" + made++ + ext), truncate(original, rnd));
        Files.write(fuzz.resolve("flip-" + made++ + ext), flip(original, rnd, 1 + rnd.nextInt(20)));
      }
      if (ext.isEmpty()) {
        Files.write(fuzz.resolve("garbage-" + made++), garbage(original, rnd));
        Files.write(fuzz.resolve("garbage-" + made++), garbage(original, rnd));
      } else if (ext.equals(".gz")) {
        byte[] plain =
            new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(original))
                .readAllBytes();
        Files.write(fuzz.resolve("garbage-" + made++ + ".gz"), gzip(garbage(plain, rnd)));
      }
    }
    HistoryStore store =
        HistoryStore.open(
            root.resolve("history").toString(), root.resolve("spool"), new Configuration(), 20);
    EventLogImporter.Summary s =
        EventLogImporter.run(List.of(fuzz), store, 2, CorpusImportTest.nowhere(), false);
    assertEquals(made, s.results().size(), s.results().toString());
    for (ImportResult r : s.results()) {
      assertTrue(Set.of("imported", "incomplete", "refused").contains(r.status()), r.toString());
      if (r.path().contains("garbage-") && r.imported()) {
        assertTrue(r.malformedLines() > 0, "garbage lines are counted: " + r);
      }
    }
    assertTrue(s.imported() > made / 2, "most mutated logs still import: " + s.results());

    EventLogImporter.Summary clean =
        EventLogImporter.run(
            List.of(CorpusImportTest.corpus().resolve("apache-spark/app-20200706201101-0003")),
            store,
            1,
            CorpusImportTest.nowhere(),
            false);
    assertEquals("imported", clean.results().get(0).status());
    SparkSession reader = LocalSpark.start(root.resolve("reader"), Map.of());
    try {
      HistoryViews.register(reader, root.resolve("history").toString());
      for (String t : List.of("apps", "jobs", "stages", "executors")) {
        reader.sql("SELECT * FROM foresight." + t).collectAsList(); // every row and column reads
      }
      assertEquals(
          3L,
          reader
              .sql("SELECT count(*) FROM foresight.stages WHERE app_id = 'app-20200706201101-0003'")
              .first()
              .getLong(0));
    } finally {
      reader.stop();
    }
  }

  private static byte[] truncate(byte[] b, Random rnd) {
    return java.util.Arrays.copyOf(b, 1 + rnd.nextInt(b.length - 1));
  }

  private static byte[] flip(byte[] b, Random rnd, int flips) {
    byte[] c = b.clone();
    for (int i = 0; i < flips; i++) {
      int at = rnd.nextInt(c.length);
      c[at] = (byte) (c[at] ^ (1 << rnd.nextInt(8)));
    }
    return c;
  }

  private static byte[] garbage(byte[] plain, Random rnd) {
    String[] lines = new String(plain, StandardCharsets.UTF_8).split("\n", -1);
    List<String> out = new ArrayList<>();
    String[] junk = {
      "not json at all",
      "{\"Event\":\"SparkListenerTaskEnd\",",
      "{}",
      "{\"Event\":\"com.acme.Custom\"}",
      "\u0000\u0001\u0002",
      "[1,2,3]",
      "{\"Event\":\"SparkListenerStageCompleted\"}"
    };
    for (String l : lines) {
      out.add(l);
      if (rnd.nextInt(40) == 0) {
        out.add(junk[rnd.nextInt(junk.length)]);
      }
    }
    out.add(1, junk[0]);
    return String.join("\n", out).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] gzip(byte[] b) throws java.io.IOException {
    ByteArrayOutputStream bo = new ByteArrayOutputStream();
    try (GZIPOutputStream g = new GZIPOutputStream(bo)) {
      g.write(b);
    }
    return bo.toByteArray();
  }
}
