package io.foresight.history;

import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Derives the Delta schema of a history table from its record class: one column per component,
 * named in snake_case. Primitive components are non-null; boxed ones are nullable, and null means
 * "not known" (never 0).
 */
public final class HistorySchema {
  private HistorySchema() {}

  /** One documented column. */
  public record ColumnDoc(String name, String sqlType, boolean nullable, String doc) {}

  public static StructType of(HistoryTable table) {
    return ofRecord(table.recordClass());
  }

  /** The Delta schema of any record class written to a Foresight table. */
  public static StructType ofRecord(Class<?> recordClass) {
    List<StructField> fields = new ArrayList<>();
    for (RecordComponent c : recordClass.getRecordComponents()) {
      fields.add(
          new StructField(
              snakeCase(c.getName()), kernelType(c.getGenericType()), !c.getType().isPrimitive()));
    }
    return new StructType(fields);
  }

  public static List<String> columnNames(HistoryTable table) {
    List<String> names = new ArrayList<>();
    for (RecordComponent c : table.recordClass().getRecordComponents()) {
      names.add(snakeCase(c.getName()));
    }
    return names;
  }

  public static List<ColumnDoc> columnDocs(HistoryTable table) {
    return columnDocs(table.recordClass());
  }

  private static List<ColumnDoc> columnDocs(Class<?> recordClass) {
    List<ColumnDoc> docs = new ArrayList<>();
    for (RecordComponent c : recordClass.getRecordComponents()) {
      Doc doc = c.getAnnotation(Doc.class);
      docs.add(
          new ColumnDoc(
              snakeCase(c.getName()),
              sqlType(c.getGenericType()),
              !c.getType().isPrimitive(),
              doc == null ? "" : doc.value()));
    }
    return docs;
  }

  /** {@code executorRunTimeMs} becomes {@code executor_run_time_ms}. */
  public static String snakeCase(String camel) {
    StringBuilder sb = new StringBuilder(camel.length() + 8);
    for (int i = 0; i < camel.length(); i++) {
      char ch = camel.charAt(i);
      if (Character.isUpperCase(ch)) {
        sb.append('_').append(Character.toLowerCase(ch));
      } else {
        sb.append(ch);
      }
    }
    return sb.toString();
  }

  private static DataType kernelType(Type type) {
    if (type instanceof ParameterizedType p) {
      Type raw = p.getRawType();
      Type[] args = p.getActualTypeArguments();
      if (raw == List.class) {
        return new ArrayType(kernelType(args[0]), true);
      }
      if (raw == Map.class) {
        return new MapType(kernelType(args[0]), kernelType(args[1]), true);
      }
    } else if (type instanceof Class<?> c) {
      if (c == String.class) {
        return StringType.STRING;
      }
      if (c == int.class || c == Integer.class) {
        return IntegerType.INTEGER;
      }
      if (c == long.class || c == Long.class) {
        return LongType.LONG;
      }
      if (c == double.class || c == Double.class) {
        return DoubleType.DOUBLE;
      }
      if (c == boolean.class || c == Boolean.class) {
        return BooleanType.BOOLEAN;
      }
    }
    throw new IllegalStateException("No history column type for " + type);
  }

  private static String sqlType(Type type) {
    DataType t = kernelType(type);
    return sqlName(t);
  }

  private static String sqlName(DataType t) {
    if (t instanceof ArrayType a) {
      return "array<" + sqlName(a.getElementType()) + ">";
    }
    if (t instanceof MapType m) {
      return "map<" + sqlName(m.getKeyType()) + "," + sqlName(m.getValueType()) + ">";
    }
    if (t instanceof IntegerType) {
      return "int";
    }
    if (t instanceof LongType) {
      return "bigint";
    }
    return t.toString().toLowerCase(java.util.Locale.ROOT);
  }

  /** The schema reference (Markdown) generated from the record classes. */
  public static String referenceMarkdown() {
    StringBuilder sb = new StringBuilder();
    sb.append("# History columns\n\n")
        .append("Generated from the record classes by `bin/foresight schema-reference --write")
        .append(" docs/history-columns.md`; a test fails when it is stale. Layout version ")
        .append(HistoryRecord.SCHEMA_VERSION)
        .append(". Times are epoch milliseconds or durations in ms, sizes are bytes; null means")
        .append(" not known, never 0. See HISTORY-SCHEMA.md for the recipes.\n\n");
    for (HistoryTable t : HistoryTable.values()) {
      Doc tableDoc = t.recordClass().getAnnotation(Doc.class);
      sb.append("## `foresight.").append(t.tableName()).append("`\n\n");
      if (tableDoc != null) {
        sb.append(tableDoc.value()).append(' ');
      }
      sb.append("Key: ").append(String.join(", ", t.keyColumns())).append(".\n\n");
      appendColumns(sb, columnDocs(t));
    }
    sb.append("## `foresight.").append(PredictionRecord.TABLE).append("`\n\n");
    sb.append(PredictionRecord.class.getAnnotation(Doc.class).value()).append("\n\n");
    appendColumns(sb, columnDocs(PredictionRecord.class));
    sb.append("## `foresight.").append(PlanRecord.TABLE).append("`\n\n");
    sb.append(PlanRecord.class.getAnnotation(Doc.class).value()).append("\n\n");
    appendColumns(sb, columnDocs(PlanRecord.class));
    return sb.toString();
  }

  private static void appendColumns(StringBuilder sb, List<ColumnDoc> columns) {
    {
      sb.append("| column | type | nullable | meaning |\n|---|---|---|---|\n");
      for (ColumnDoc c : columns) {
        sb.append("| `")
            .append(c.name())
            .append("` | ")
            .append(c.sqlType())
            .append(" | ")
            .append(c.nullable() ? "yes" : "no")
            .append(" | ")
            .append(c.doc())
            .append(" |\n");
      }
      sb.append('\n');
    }
  }
}
