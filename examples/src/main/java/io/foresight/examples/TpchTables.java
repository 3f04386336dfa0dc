package io.foresight.examples;

import io.trino.tpch.TpchColumn;
import io.trino.tpch.TpchEntity;
import io.trino.tpch.TpchTable;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * TPC-H data from {@code io.trino.tpch} (the reference dbgen, in Java): one {@code |}-separated CSV
 * file per table, with a header, and Spark schemas for them.
 */
public final class TpchTables {
  public static final List<String> TABLES =
      List.of("nation", "region", "customer", "orders", "lineitem", "part", "supplier", "partsupp");

  private TpchTables() {}

  /** Writes every table at {@code scale} (1.0 = 1 GB) as {@code <dir>/<table>.csv}. */
  public static void generateCsv(Path dir, double scale) throws IOException {
    Files.createDirectories(dir);
    for (TpchTable<?> table : TpchTable.getTables()) {
      write(table, dir.resolve(table.getTableName() + ".csv"), scale);
    }
  }

  private static <E extends TpchEntity> void write(TpchTable<E> table, Path file, double scale)
      throws IOException {
    List<TpchColumn<E>> cols = table.getColumns();
    try (BufferedWriter out = Files.newBufferedWriter(file)) {
      List<String> names = new ArrayList<>();
      cols.forEach(c -> names.add(c.getColumnName()));
      out.write(String.join("|", names));
      out.write('\n');
      StringBuilder line = new StringBuilder(256);
      for (E e : table.createGenerator(scale, 1, 1)) {
        line.setLength(0);
        for (int i = 0; i < cols.size(); i++) {
          if (i > 0) {
            line.append('|');
          }
          TpchColumn<E> c = cols.get(i);
          switch (c.getType().getBase()) {
            case IDENTIFIER -> line.append(c.getIdentifier(e));
            case INTEGER -> line.append(c.getInteger(e));
            case DOUBLE -> line.append(c.getDouble(e));
            case DATE -> line.append(LocalDate.ofEpochDay(c.getDate(e)));
            default -> line.append(c.getString(e));
          }
        }
        line.append('\n');
        out.write(line.toString());
      }
    }
  }

  public static StructType schema(String tableName) {
    TpchTable<?> table = TpchTable.getTable(tableName);
    List<StructField> fields = new ArrayList<>();
    for (TpchColumn<?> c : table.getColumns()) {
      DataType t =
          switch (c.getType().getBase()) {
            case IDENTIFIER -> DataTypes.LongType;
            case INTEGER -> DataTypes.IntegerType;
            case DOUBLE -> DataTypes.DoubleType;
            case DATE -> DataTypes.DateType;
            default -> DataTypes.StringType;
          };
      fields.add(DataTypes.createStructField(c.getColumnName(), t, false));
    }
    return DataTypes.createStructType(fields);
  }

  public static Dataset<Row> readCsv(SparkSession spark, Path dir, String table) {
    return spark
        .read()
        .option("header", "true")
        .option("sep", "|")
        .schema(schema(table))
        .csv(dir.resolve(table + ".csv").toString());
  }

  /** Converts the CSV tables under {@code csvDir} to Parquet folders under {@code parquetDir}. */
  public static void toParquet(
      SparkSession spark, Path csvDir, Path parquetDir, List<String> tables) {
    for (String t : tables) {
      readCsv(spark, csvDir, t).write().mode("overwrite").parquet(parquetDir.resolve(t).toString());
    }
  }
}
