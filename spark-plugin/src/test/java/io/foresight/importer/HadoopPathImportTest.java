package io.foresight.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.history.HistoryStore;
import io.foresight.testing.LocalSpark;
import io.foresight.testing.LocalUnderScheme;
import io.foresight.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Event logs where Spark's {@code spark.eventLog.dir} often is: on a Hadoop file system, given as
 * its URI. The file system here is the local disk under the scheme {@code hdfsish} ({@link
 * LocalUnderScheme}): logs read through it must give what the same logs give from the local disk.
 */
class HadoopPathImportTest {
  @TempDir Path root;
  private Path logs;
  private Configuration conf;

  @BeforeEach
  void logs() throws Exception {
    Path corpus = LocalSpark.sharedDir().resolve("corpus/eventlogs");
    logs = Files.createDirectories(root.resolve("logs"));
    // a rolling log, Databricks' rolled parts, a single zstd file, one cut short, one with
    // malformed lines, an archive, and a file that is not a log
    for (String log :
        List.of(
            "nvidia-spark-rapids-tools/eventlog_v2_local-1623876083964",
            "nvidia-spark-rapids-tools/db_sim_eventlog",
            "nvidia-spark-rapids-tools/spark2-eventlog.zstd",
            "nvidia-spark-rapids-tools/truncated_eventlog",
            "nvidia-spark-rapids-tools/malformed_json_eventlog.zstd",
            "synccomputingcode-spark_log_parser/databricks-rollover.zip")) {
      Path from = corpus.resolve(log);
      Path to = logs.resolve(from.getFileName().toString());
      if (Files.isDirectory(from)) {
        TestFiles.copyTree(from, to);
      } else {
        Files.copy(from, to);
      }
    }
    Files.writeString(logs.resolve("notes.txt"), "not an event log\n");
    conf = LocalUnderScheme.register(new Configuration(), "hdfsish");
  }

  private static Map<String, ImportResult> byName(List<ImportResult> results) {
    return results.stream()
        .collect(
            Collectors.toMap(
                r -> r.path().substring(r.path().lastIndexOf('/') + 1),
                Function.identity(),
                (a, b) -> a,
                java.util.HashMap::new));
  }

  @Test
  void logsOnAHadoopFileSystemReadAsFromTheLocalDisk() throws Exception {
    List<ImportResult> fromDisk = EventLogImporter.dryRun(logs.toString(), new Configuration());
    // an archive is opened on the local disk only: there its logs are read, remotely it is refused
    assertTrue(
        fromDisk.stream().anyMatch(r -> r.path().contains(".zip!/") && r.imported()),
        fromDisk.toString());
    Map<String, ImportResult> local =
        byName(fromDisk.stream().filter(r -> !r.path().contains(".zip!/")).toList());
    Map<String, ImportResult> remote = byName(EventLogImporter.dryRun("hdfsish://" + logs, conf));
    ImportResult zip = remote.remove("databricks-rollover.zip");
    assertEquals("refused", zip.status(), zip.toString());
    assertTrue(zip.reason().contains("read from the local disk only"), zip.reason());
    assertEquals(local.keySet(), remote.keySet());
    for (Map.Entry<String, ImportResult> e : local.entrySet()) {
      ImportResult l = e.getValue();
      ImportResult r = remote.get(e.getKey());
      assertTrue(r.path().startsWith("hdfsish:"), r.path());
      assertEquals(
          java.util.Arrays.asList(
              l.appId(),
              l.status(),
              l.jobs(),
              l.stages(),
              l.tasks(),
              l.executors(),
              l.malformedLines(),
              l.bytesRead()),
          java.util.Arrays.asList(
              r.appId(),
              r.status(),
              r.jobs(),
              r.stages(),
              r.tasks(),
              r.executors(),
              r.malformedLines(),
              r.bytesRead()),
          e.getKey());
      assertEquals(l.reason() == null, r.reason() == null, e.getKey());
    }
    assertEquals("refused", remote.get("notes.txt").status());
    assertTrue(remote.get("notes.txt").reason().startsWith("not a Spark event log"));
    assertEquals("incomplete", remote.get("truncated_eventlog").status());
    assertTrue(remote.get("malformed_json_eventlog.zstd").malformedLines() > 0);
    assertEquals(6, remote.size());
  }

  @Test
  void anImportFromAHadoopFileSystemCommitsItsLogsAndNamesWhatItCannotReach() throws Exception {
    HistoryStore store =
        HistoryStore.open(root.resolve("history").toString(), root.resolve("spool"), conf, 20);
    EventLogImporter.Summary s =
        EventLogImporter.run(
            List.of(
                "hdfsish://" + logs.resolve("eventlog_v2_local-1623876083964"),
                "hdfsish://" + logs.resolve("spark2-eventlog.zstd"),
                "hdfsish://" + root.resolve("absent"),
                "nofs://somewhere/logs"),
            conf,
            store,
            2,
            CorpusImportTest.nowhere(),
            false);
    List<ImportResult> results =
        s.results().stream().sorted(Comparator.comparing(ImportResult::path)).toList();
    assertEquals(2, s.imported(), results.toString());
    assertEquals("refused", results.get(0).status());
    assertEquals("no such file or directory", results.get(0).reason());
    assertTrue(results.get(1).path().endsWith("eventlog_v2_local-1623876083964"));
    assertTrue(results.get(2).path().endsWith("spark2-eventlog.zstd"));
    ImportResult unknown = results.get(3);
    assertEquals("nofs://somewhere/logs", unknown.path());
    assertTrue(
        unknown.reason().contains("is the Hadoop connector for 'nofs' on the classpath"),
        unknown.reason());
    assertTrue(
        Files.isDirectory(root.resolve("history/stages/_delta_log")), "committed to the history");
  }
}
