package io.foresight.capture;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The job key: a stable identifier of a recurring job.
 *
 * <p>{@code spark.foresight.job.id} wins when set. Otherwise the key is derived from the
 * application name and the main class:
 *
 * <ol>
 *   <li>the name, lower-cased, with UUIDs, hex ids, dates and timestamps (ISO or compact) and every
 *       other digit removed (run numbers), and each run of other non-alphanumeric characters turned
 *       into one {@code -};
 *   <li>then {@code @} and the main class, unless the main class is a launcher or shell (Spark's
 *       submit, Python runner, REPL), which says nothing about the job.
 * </ol>
 *
 * {@code NewYorkTaxiData_2025_06_27_00} run by {@code PythonRunner} gives {@code newyorktaxidata};
 * {@code nightly-etl 2026-11-22} with main class {@code com.acme.Etl} gives {@code
 * nightly-etl@com.acme.Etl}.
 */
public final class JobKeys {
  private static final Pattern UUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final Pattern HEX = Pattern.compile("\\b(?=[0-9a-f]*\\d)[0-9a-f]{12,}\\b");
  private static final Pattern TIMESTAMP =
      Pattern.compile(
          "\\d{4}[-_/.]?\\d{2}[-_/.]?\\d{2}(t?[ _-]?\\d{2}[:_.-]?\\d{2}([:_.-]?\\d{2})?z?)?");
  private static final Pattern DIGITS = Pattern.compile("\\d+");
  private static final Pattern SEPARATORS = Pattern.compile("[^a-z]+");
  private static final Set<String> LAUNCHERS =
      Set.of(
          "org.apache.spark.deploy.SparkSubmit",
          "org.apache.spark.deploy.PythonRunner",
          "org.apache.spark.deploy.RRunner",
          "org.apache.spark.repl.Main",
          "pyspark-shell",
          "sparkr-shell",
          "spark-shell");

  /** Main classes of interactive shells: spark-shell's REPL and the spark-sql command line. */
  private static final Set<String> SHELL_MAINS =
      Set.of(
          "org.apache.spark.repl.Main", "org.apache.spark.sql.hive.thriftserver.SparkSQLCLIDriver");

  /**
   * Default application names of interactive sessions, as {@link #derive} normalises them:
   * spark-shell's "Spark shell", the pyspark shell's "PySparkShell", sparkR's "SparkR" and
   * Databricks notebooks' "Databricks Shell".
   */
  private static final Set<String> SHELL_NAMES =
      Set.of("spark-shell", "pysparkshell", "sparkr", "databricks-shell");

  /** What Spark writes in place of a value it redacts. */
  private static final String REDACTED = "*********(redacted)";

  private JobKeys() {}

  /**
   * Why runs under the key {@link #derive} gives are not one recurring job, or null when they may
   * be: the session of an interactive shell or notebook under its default name, whose sessions all
   * share one key and run whatever their users type, or an application whose name is only ids and
   * dates and whose main class is a launcher (key {@code unnamed}). The planner does not plan such
   * a run from the key's history; {@code spark.foresight.job.id} gives it an identity of its own.
   */
  public static String notRecurring(String explicitId, String appName, String mainClass) {
    if (explicitId != null && !explicitId.isBlank()) {
      return null;
    }
    if (mainClass != null && SHELL_MAINS.contains(mainClass)) {
      return "an interactive shell (" + mainClass + ")"; // a launcher: not in the key
    }
    return sharedKey(derive(null, appName, mainClass));
  }

  /**
   * Why the derived key {@code key} gathers unrelated sessions (see {@link #notRecurring}), or null
   * when its runs may be one recurring job.
   */
  public static String sharedKey(String key) {
    int at = key.indexOf('@');
    String name = at < 0 ? key : key.substring(0, at);
    String main = at < 0 ? key : key.substring(at + 1);
    if (SHELL_MAINS.contains(main)) {
      return "an interactive shell (" + main + ")";
    }
    if (SHELL_NAMES.contains(name)) {
      return "a shell or notebook session under its default name (key '" + key + "')";
    }
    if (key.equals("unnamed")) {
      return "an application named only by ids or dates, with no main class of its own";
    }
    return null;
  }

  /** The Spark property under which Databricks names the job a run belongs to. */
  public static final String DATABRICKS_JOB_ID = "spark.databricks.job.id";

  /**
   * The name Databricks gives a cluster, in the application's conf: {@code job-<job id>-run-<run
   * id>} for the cluster it creates for a job's run.
   */
  public static final String DATABRICKS_CLUSTER_NAME =
      "spark.databricks.clusterUsageTags.clusterName";

  private static final Pattern DATABRICKS_JOB_CLUSTER = Pattern.compile("job-(\\d+)-run-\\d+.*");

  /**
   * The Databricks job id in a run's conf: {@value #DATABRICKS_JOB_ID} when there, else the job its
   * cluster was created for ({@value #DATABRICKS_CLUSTER_NAME}); null elsewhere.
   */
  public static String databricksJobId(String jobIdProperty, String clusterName) {
    if (jobIdProperty != null && !jobIdProperty.isBlank()) {
      return jobIdProperty.trim();
    }
    if (clusterName == null) {
      return null;
    }
    java.util.regex.Matcher m = DATABRICKS_JOB_CLUSTER.matcher(clusterName.trim());
    return m.matches() ? m.group(1) : null;
  }

  /**
   * The job id a run gives: {@code spark.foresight.job.id} when set, else {@code
   * databricks-job-<id>} for a run of a Databricks job, whose application is named "Databricks
   * Shell" whatever the job (Databricks sets {@value #DATABRICKS_JOB_ID} on the jobs it runs, not
   * in the application's conf: capture reads it from the first job's properties), else null.
   */
  public static String givenId(String foresightJobId, String databricksJobId) {
    if (foresightJobId != null && !foresightJobId.isBlank()) {
      return foresightJobId.trim();
    }
    return databricksJobId != null && !databricksJobId.isBlank()
        ? "databricks-job-" + databricksJobId.trim()
        : null;
  }

  public static String derive(String explicitId, String appName, String mainClass) {
    if (explicitId != null && !explicitId.isBlank()) {
      return explicitId.trim();
    }
    String name = appName == null ? "" : appName.toLowerCase(Locale.ROOT);
    name = UUID.matcher(name).replaceAll(" ");
    name = HEX.matcher(name).replaceAll(" ");
    name = TIMESTAMP.matcher(name).replaceAll(" ");
    name = DIGITS.matcher(name).replaceAll(" ");
    name = SEPARATORS.matcher(name).replaceAll("-");
    name = trimDashes(name);
    boolean usefulMain =
        mainClass != null && !mainClass.isBlank() && !LAUNCHERS.contains(mainClass);
    if (!usefulMain) {
      return name.isEmpty() ? "unnamed" : name;
    }
    return name.isEmpty() ? mainClass : name + "@" + mainClass;
  }

  /**
   * The main class from the driver's {@code sun.java.command}: the value of {@code --class} when
   * launched through spark-submit, else the first token.
   */
  public static String mainClass(String javaCommand) {
    if (javaCommand == null || javaCommand.isBlank() || javaCommand.contains(REDACTED)) {
      return null; // Spark redacts the whole command when it names a secret
    }
    String[] tokens = javaCommand.trim().split("\\s+");
    for (int i = 0; i < tokens.length - 1; i++) {
      if (tokens[i].equals("--class")) {
        return tokens[i + 1];
      }
    }
    if (tokens[0].equals("org.apache.spark.deploy.SparkSubmit")) {
      for (String t : tokens) {
        if (t.endsWith(".py")) {
          return "org.apache.spark.deploy.PythonRunner";
        }
      }
    }
    return tokens[0];
  }

  private static String trimDashes(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && s.charAt(start) == '-') {
      start++;
    }
    while (end > start && s.charAt(end - 1) == '-') {
      end--;
    }
    return s.substring(start, end);
  }
}
