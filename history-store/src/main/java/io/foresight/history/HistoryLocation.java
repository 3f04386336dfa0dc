package io.foresight.history;

import java.net.URI;
import java.nio.file.Paths;

/**
 * Where the history tables live: {@code <root>/<table>} for each {@link HistoryTable}. A root
 * without a scheme is a local folder, made absolute.
 */
public record HistoryLocation(String root) {
  public static HistoryLocation of(String path) {
    String p = path.trim();
    if (p.startsWith("~/")) {
      p = System.getProperty("user.home") + p.substring(1);
    }
    URI uri = URI.create(p.replace(" ", "%20"));
    if (uri.getScheme() == null || uri.getScheme().length() == 1) {
      String abs = Paths.get(p).toAbsolutePath().normalize().toUri().toString();
      return new HistoryLocation(stripSlash(abs));
    }
    return new HistoryLocation(stripSlash(p));
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  public String tablePath(HistoryTable table) {
    return root + "/" + table.tableName();
  }

  /** The predictions table. */
  public String predictionsPath() {
    return root + "/" + PredictionRecord.TABLE;
  }

  /** The plans table. */
  public String plansPath() {
    return root + "/" + PlanRecord.TABLE;
  }
}
