package io.foresight.cli;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;

/** Renders rows as a plain text table, untruncated, with a row count. */
final class TextTable {
  private TextTable() {}

  static String render(String[] header, List<Row> rows) {
    List<String[]> cells = new ArrayList<>();
    for (Row r : rows) {
      String[] c = new String[header.length];
      for (int i = 0; i < header.length; i++) {
        Object v = r.get(i);
        c[i] = v == null ? "NULL" : cell(v);
      }
      cells.add(c);
    }
    return renderCells(header, cells);
  }

  static String renderCells(String[] header, List<String[]> cells) {
    int n = header.length;
    int[] width = new int[n];
    for (int i = 0; i < n; i++) {
      width[i] = header[i].length();
    }
    for (String[] c : cells) {
      for (int i = 0; i < n; i++) {
        width[i] = Math.max(width[i], c[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    line(sb, width);
    row(sb, header, width);
    line(sb, width);
    for (String[] c : cells) {
      row(sb, c, width);
    }
    line(sb, width);
    sb.append(cells.size()).append(cells.size() == 1 ? " row\n" : " rows\n");
    return sb.toString();
  }

  private static String cell(Object v) {
    if (v instanceof scala.collection.Iterable<?> it) {
      return it.mkString("[", ", ", "]");
    }
    if (v instanceof scala.collection.Map<?, ?> m) {
      return m.mkString("{", ", ", "}");
    }
    return v.toString();
  }

  private static void line(StringBuilder sb, int[] width) {
    sb.append('+');
    for (int w : width) {
      sb.append("-".repeat(w + 2)).append('+');
    }
    sb.append('\n');
  }

  private static void row(StringBuilder sb, String[] c, int[] width) {
    sb.append('|');
    for (int i = 0; i < c.length; i++) {
      sb.append(' ').append(c[i]).append(" ".repeat(width[i] - c[i].length())).append(" |");
    }
    sb.append('\n');
  }
}
