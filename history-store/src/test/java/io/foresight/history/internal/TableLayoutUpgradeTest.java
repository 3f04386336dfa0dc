package io.foresight.history.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
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
 * A history table created by an older layout takes rows of a newer one: every column it has is
 * written, the new columns are left out (Kernel 4.2 cannot add columns to a table it can write).
 */
class TableLayoutUpgradeTest {
  @TempDir Path dir;

  @Test
  void rowsOfANewerLayoutAreWrittenWithTheColumnsTheTableHas() throws Exception {
    String table = dir.resolve("stages").toUri().toString();
    StructType v1 = new StructType().add("id", LongType.LONG).add("name", StringType.STRING);
    StructType v2 =
        new StructType()
            .add("id", LongType.LONG)
            .add("files_read_bytes", LongType.LONG)
            .add("name", StringType.STRING);
    KernelTableWriter writer = new KernelTableWriter(new Configuration(), 3);
    writer.append(table, v1, List.of("{\"id\":1,\"name\":\"old\"}"), "app", 0);
    assertEquals(
        List.of(),
        KernelTableWriter.missingColumns(v2, v1),
        "the old layout's columns are all in the new one");

    writer.append(
        table, v2, List.of("{\"id\":2,\"files_read_bytes\":4096,\"name\":\"new\"}"), "app", 1);
    // A second writer of the new layout finds the columns there.
    new KernelTableWriter(new Configuration(), 3)
        .append(table, v2, List.of("{\"id\":3,\"name\":\"newer\"}"), "app", 2);
    // The same (app, version) is still committed once.
    assertEquals(
        KernelTableWriter.Outcome.ALREADY_COMMITTED,
        writer.append(table, v2, List.of("{\"id\":9}"), "app", 1));

    SparkSession spark = LocalSpark.start(dir.resolve("spark"), Map.of());
    try {
      var df = spark.read().format("delta").load(table);
      assertEquals(List.of("id", "name"), List.of(df.schema().fieldNames()));
      List<Row> rows = df.orderBy("id").collectAsList();
      assertEquals(3, rows.size());
      assertEquals(List.of(1L, 2L, 3L), rows.stream().map(r -> r.getLong(0)).toList());
      assertEquals(List.of("old", "new", "newer"), rows.stream().map(r -> r.getString(1)).toList());
    } finally {
      spark.stop();
    }

    // A table created with the new layout records the new column.
    String fresh = dir.resolve("fresh").toUri().toString();
    writer.append(
        fresh, v2, List.of("{\"id\":2,\"files_read_bytes\":4096,\"name\":\"new\"}"), "app", 0);
    SparkSession again = LocalSpark.start(dir.resolve("spark2"), Map.of());
    try {
      Row r = again.read().format("delta").load(fresh).selectExpr("files_read_bytes").first();
      assertEquals(4096L, r.getLong(0));
    } finally {
      again.stop();
    }
  }
}
