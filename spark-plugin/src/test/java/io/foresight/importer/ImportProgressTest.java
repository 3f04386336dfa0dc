package io.foresight.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ImportProgressTest {
  private static final ImportResult OK =
      new ImportResult("/logs/a.zstd", "app-1", "imported", null, 2, 3, 40, 1, 0, null, 0, 10);

  @Test
  void withoutATerminalEachLogGetsOnePlainLine() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImportProgress p =
        new ImportProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, 2, 100);
    p.advance(50);
    p.done(OK);
    p.done(ImportResult.refused("/logs/b.txt", "empty file"));
    p.finish();
    assertEquals(
        "import 1/2 /logs/a.zstd: imported (app-1, 2 jobs, 3 stages, 40 tasks, 1 executors)\n"
            + "import 2/2 /logs/b.txt: refused - empty file\n",
        bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void onATerminalABarIsRedrawnInPlace() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImportProgress p =
        new ImportProgress(
            new PrintStream(bytes, true, StandardCharsets.UTF_8), true, 1, 2_000_000);
    p.advance(1_000_000);
    p.done(OK);
    p.finish();
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(out.startsWith("\r["), out);
    assertTrue(out.contains(" 50%") || out.contains("100%"), out);
    assertTrue(out.contains("1/1 logs"), out);
    assertTrue(out.endsWith("\n"));
  }
}
