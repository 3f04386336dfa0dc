package io.foresight.it;

import io.foresight.examples.TpchTables;
import io.foresight.testing.LocalSpark;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** TPC-H tables in Parquet (generated once per test class) and the 22 queries. */
final class TpchTestTables {
  private TpchTestTables() {}

  static Path prepare(Path root, double scale) throws Exception {
    Path tables = root.resolve("tpch-parquet");
    if (Files.exists(tables.resolve("lineitem/_SUCCESS"))) {
      return tables;
    }
    Path csv = root.resolve("tpch-csv");
    TpchTables.generateCsv(csv, scale);
    SparkSession prep = LocalSpark.start(root.resolve("tpch-prep"), Map.of());
    try {
      TpchTables.toParquet(prep, csv, tables, TpchTables.TABLES);
    } finally {
      prep.stop();
    }
    return tables;
  }

  static void register(SparkSession spark, Path tables) {
    for (String t : TpchTables.TABLES) {
      spark.read().parquet(tables.resolve(t).toString()).createOrReplaceTempView(t);
    }
  }

  static String query(int q) throws IOException {
    String name = String.format(Locale.ROOT, "/tpch/q%02d.sql", q);
    try (InputStream in = TpchTestTables.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
