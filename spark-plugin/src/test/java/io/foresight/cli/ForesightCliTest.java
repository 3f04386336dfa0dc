package io.foresight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForesightCliTest {
  @TempDir Path root;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) throws Exception {
    return CliCapture.run(args, out, err);
  }

  @Test
  void badUsageExitsTwoWithTheUsage() throws Exception {
    assertEquals(2, run());
    assertEquals(2, run("frobnicate"));
    assertTrue(err.toString().contains("unknown command 'frobnicate'"));
    assertEquals(2, run("sql"));
    assertTrue(err.toString().contains("expected exactly one query"));
    assertEquals(2, run("sql", "SELECT 1", "--history"));
    assertTrue(err.toString().contains("--history needs a value"));
  }

  @Test
  void importPrintsASummaryAndExitsOneOnlyWhenNothingImported() throws Exception {
    Path corpus = io.foresight.testing.LocalSpark.sharedDir().resolve("corpus/eventlogs");
    String history = root.resolve("imported").toString();
    String spool = root.resolve("spool").toString();
    assertEquals(
        0,
        run(
            "import",
            corpus.resolve("qubole-sparklens/local-1532512550423").toString(),
            root.resolve("missing").toString(),
            "--history",
            history,
            "--spool",
            spool,
            "--threads",
            "1"));
    String summary = out.toString();
    assertTrue(
        summary.contains("| imported | local-1532512550423 | 2    | 2      | 8     | 1"), summary);
    assertTrue(summary.contains("| refused  |"), summary);
    assertTrue(summary.contains("no such file or directory"), summary);
    assertTrue(summary.contains("1 of 2 logs imported"), summary);
    assertTrue(err.toString().contains("import 1/1 "), "a plain progress line: " + err);

    assertEquals(
        1,
        run("import", root.resolve("missing").toString(), "--history", history, "--spool", spool));
    assertEquals(2, run("import", "--history", history));
    assertEquals(2, run("import", "x", "--threads", "zero"));
    assertTrue(
        err.toString().contains("--threads expects a whole number from 1 to 64, got 'zero'"),
        err.toString());
    assertEquals(2, run("import", "x", "--threads", "65"));
    assertTrue(err.toString().contains("got '65'"), err.toString());
  }

  @Test
  void aDryRunReportsLikeAnImportAndWritesNothing() throws Exception {
    Path corpus = io.foresight.testing.LocalSpark.sharedDir().resolve("corpus/eventlogs");
    Path notALog = root.resolve("notes.txt");
    java.nio.file.Files.writeString(notALog, "# not an event log\n");
    assertEquals(
        0,
        run(
            "import",
            corpus.resolve("qubole-sparklens/local-1532512550423").toString(),
            notALog.toString(),
            "--dry-run",
            "--history",
            root.resolve("history").toString(),
            "--spool",
            root.resolve("spool").toString()));
    String report = out.toString();
    assertTrue(
        report.contains("| readable | local-1532512550423 | 2    | 2      | 8     | 1"), report);
    assertTrue(report.contains("| refused  |"), report);
    assertTrue(report.contains("not a Spark event log"), report);
    assertTrue(report.contains("1 of 2 logs readable; nothing was written (--dry-run)"), report);
    assertEquals(1, run("import", notALog.toString(), "--dry-run"));
    try (java.util.stream.Stream<Path> left = java.nio.file.Files.list(root)) {
      assertEquals(List.of(notALog), left.toList(), "no history and no spool written");
    }
  }

  @Test
  void sqlOnAnEmptyHistoryPrintsTablesAndJsonAndExplainsBadQueries() throws Exception {
    String history = root.resolve("history").toString();
    // Tables that hold no run, as registering the history's views in a session leaves them.
    LocalHistorySession.start("empty-history", history).stop();
    assertEquals(
        0,
        run(
            "sql",
            "SELECT count(*) AS stages, 'x' AS tag FROM foresight.stages",
            "--history",
            history));
    String table = out.toString();
    assertTrue(table.contains("| stages | tag |"), table);
    assertTrue(table.contains("| 0      | x   |"), table);
    assertTrue(table.endsWith("1 row\n"), table);

    assertEquals(0, run("sql", "SELECT 7 AS n, array(1, 2) AS a", "--history", history, "--json"));
    assertEquals("{\"n\":7,\"a\":[1,2]}\n", out.toString());

    assertEquals(1, run("sql", "SELECT no_such_column FROM foresight.apps", "--history", history));
    assertTrue(err.toString().startsWith("foresight sql: "), err.toString());
    assertTrue(err.toString().contains("no_such_column"), err.toString());
  }

  @Test
  void aCommandLeavesNoScratchFolderBehind() throws Exception {
    String history = root.resolve("history").toString();
    LocalHistorySession.start("empty-history", history).stop();
    assertEquals(0, run("sql", "SET spark.sql.warehouse.dir", "--history", history, "--json"));
    String value = new ObjectMapper().readTree(out.toString()).get("value").asText();
    Path warehouse = value.startsWith("file:") ? Path.of(URI.create(value)) : Path.of(value);
    Path scratch = warehouse.getParent();
    assertTrue(scratch.getFileName().toString().startsWith("foresight-cli"), value);
    assertFalse(Files.exists(scratch), "deleted when the command's application ended: " + scratch);
  }
}
