package io.foresight.history;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.regex.Pattern;

/**
 * Where the history tables live: {@code <root>/<table>} for each {@link HistoryTable}. A root
 * without a scheme is a local folder, made absolute, as {@code file://<absolute path>}.
 *
 * <p>Paths are Hadoop path strings, not URIs: they are not percent-encoded, so that Delta Kernel,
 * delta-spark and Hadoop, which all parse them with Hadoop's {@code Path}, find the same folder as
 * the local file system does ({@code /home/me/my history} is {@code file:///home/me/my history}).
 */
public record HistoryLocation(String root) {
  /** A URI scheme of two or more characters (one is a Windows drive letter). */
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+:");

  public static HistoryLocation of(String path) {
    String p = path.trim();
    if (p.startsWith("~/")) {
      p = System.getProperty("user.home") + p.substring(1);
    }
    if (SCHEME.matcher(p).find()) {
      return new HistoryLocation(stripSlash(p));
    }
    return new HistoryLocation(stripSlash("file://" + Paths.get(p).toAbsolutePath().normalize()));
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") && !s.endsWith(":///") ? s.substring(0, s.length() - 1) : s;
  }

  /** The local folder of the history, or null when it is on another file system. */
  public Path localFolder() {
    return localPath(root);
  }

  /**
   * The local file or folder that a Hadoop path string names: a path without a scheme, or a {@code
   * file:} path (its authority, if any, dropped); null for another file system.
   */
  public static Path localPath(String hadoopPath) {
    if (!SCHEME.matcher(hadoopPath).find()) {
      return Paths.get(hadoopPath);
    }
    if (!hadoopPath.regionMatches(true, 0, "file:", 0, 5)) {
      return null;
    }
    String rest = hadoopPath.substring(5);
    if (rest.startsWith("//")) {
      int slash = rest.indexOf('/', 2);
      rest = slash < 0 ? "/" : rest.substring(slash);
    }
    return Paths.get(rest);
  }

  /** {@code path} as a Delta table reference in Spark SQL: {@code delta.`<path>`}. */
  public static String sqlTable(String path) {
    return "delta.`" + path.replace("`", "``") + "`";
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
