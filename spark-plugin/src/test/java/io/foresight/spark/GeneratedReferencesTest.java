package io.foresight.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.foresight.config.ConfigRegistry;
import io.foresight.history.HistorySchema;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The configuration reference in conf/ and the column reference in docs/ are generated from the
 * code; these fail when a key or column changed and the files were not regenerated with {@code
 * bin/foresight conf-reference --write conf/foresight-configuration.md} and {@code bin/foresight
 * schema-reference --write docs/history-columns.md}.
 */
class GeneratedReferencesTest {
  private static Path project() {
    return Path.of(System.getProperty("foresight.project.dir", ".."));
  }

  @Test
  void configurationReferenceIsCurrent() throws Exception {
    ForesightConf.loadAll();
    String onDisk = Files.readString(project().resolve("conf/foresight-configuration.md"));
    assertEquals(ConfigRegistry.referenceMarkdown(), onDisk);
  }

  @Test
  void historyColumnReferenceIsCurrent() throws Exception {
    String onDisk = Files.readString(project().resolve("docs/history-columns.md"));
    assertEquals(HistorySchema.referenceMarkdown(), onDisk);
  }
}
