package io.foresight.cli;

import io.foresight.config.ConfigRegistry;
import io.foresight.history.HistoryCompactor;
import io.foresight.history.HistorySchema;
import io.foresight.history.HistoryStore;
import io.foresight.importer.EventLogImporter;
import io.foresight.importer.ImportResult;
import io.foresight.spark.ForesightConf;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code bin/foresight} subcommands that work on the history:
 *
 * <ul>
 *   <li>{@code sql "<query>" [--history DIR] [--json]}
 *   <li>{@code compact [--history DIR]}
 *   <li>{@code conf-reference [--write FILE]} and {@code schema-reference [--write FILE]}
 * </ul>
 *
 * Exit codes: 0 done, 1 the command failed, 2 bad usage.
 */
public final class ForesightCli {
  private ForesightCli() {}

  /**
   * The java.util.logging logger of MLlib's BLAS loader, kept so its level holds. {@code predict}
   * and {@code plan} use the pure-Java BLAS only (as MLlib's tree models do), and with no
   * SparkSession to route java.util.logging into the launcher's log4j, the loader's "Failed to load
   * implementation from: ...JNIBLAS" (no native BLAS on this machine) went to the terminal on every
   * prediction as a two-line warning.
   */
  private static final java.util.logging.Logger NATIVE_BLAS_LOADER =
      java.util.logging.Logger.getLogger("dev.ludovic.netlib");

  public static void main(String[] args) throws Exception {
    NATIVE_BLAS_LOADER.setLevel(java.util.logging.Level.SEVERE);
    System.exit(run(args, System.out, System.err));
  }

  /** Runs one command; returns its exit code (0 ok, 1 no result, 2 bad input). */
  public static int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
    if (argv.length == 0) {
      err.println(usage());
      return 2;
    }
    if (List.of("help", "--help", "-h").contains(argv[0]) || List.of(argv).contains("--help")) {
      out.println(usage());
      return 0;
    }
    Args args;
    try {
      args = Args.parse(argv);
    } catch (IllegalArgumentException e) {
      err.println("foresight: " + e.getMessage());
      err.println(usage());
      return 2;
    }
    switch (args.command) {
      case "sql":
        if (args.positional.size() != 1) {
          err.println("foresight sql: expected exactly one query, in quotes");
          return 2;
        }
        return sql(args, out, err);
      case "compact":
        return compact(args, out, err);
      case "import":
        if (args.positional.isEmpty()) {
          err.println("foresight import: expected one or more event-log files or directories");
          return 2;
        }
        return importLogs(args, out, err);
      case "train":
        return ForecastCommands.train(args, out, err);
      case "predict":
        return ForecastCommands.predict(args, out, err);
      case "backtest":
        return ForecastCommands.backtest(args, out, err);
      case "plan":
        return PlanCommand.run(args, out, err);
      case "accuracy":
        return ForecastCommands.accuracy(args, out, err);
      case "conf-reference":
        ForesightConf.loadAll();
        return emit(ConfigRegistry.referenceMarkdown(), args.write, out);
      case "schema-reference":
        return emit(HistorySchema.referenceMarkdown(), args.write, out);
      default:
        err.println("foresight: unknown command '" + args.command + "'");
        err.println(usage());
        return 2;
    }
  }

  static String usage() {
    return String.join(
        "\n",
        "usage: bin/foresight <command> [options]",
        "  demo                                   run the end-to-end demo",
        "  sql \"<query>\" [--history DIR] [--json]  query foresight.apps/jobs/stages/executors",
        "  import PATH... [--history DIR] [--threads N] [--spool DIR] [--dry-run]",
        "                                         import Spark event logs (files, directories;",
        "                                         local, or hdfs://, s3a://... through Hadoop)",
        "  compact [--history DIR]                compact the tables, predictions and plans",
        "  generate-history [--runs N] [--history DIR] [--work DIR] [--cluster] [--cores N]",
        "                   [--seed N] [--start TIME] [--base-scale S] [--max-scale S] ...",
        "                                         run a recurring TPC-H job N times (training data)",
        "  train [--history DIR] [--quantile Q] [--min-runs N] [--keep N]",
        "                                         train the demand models (Spark MLlib); keeps the",
        "                                         newest N model versions (10) and the one in use",
        "  predict --job KEY [--input-gib X | --input-bytes N | --input PATH] [--at TIME]",
        "          [--executors N] [--cores C] [--run-id APP] [--version V] [--no-record] [--json]",
        "                                         forecast a run; recorded in foresight.predictions",
        "  plan --job KEY [--executor-memory SIZE] [--conf spark.foresight.K=V ...]",
        "       [--input-gib X | --input-bytes N | --input PATH] [--at TIME] [--no-record] [--json]",
        "                                         the plan of the next run, and why; recorded",
        "                                         in foresight.plans and foresight.predictions",
        "    N: bytes, or a size such as 12g; TIME: epoch milliseconds or an ISO-8601 date or",
        "    date-time (2026-11-23, 2026-11-23T02:00:00Z; UTC without an offset); --start is the",
        "    same as --at. Not given: the seasonal forecast of the job's input volume, and now",
        "  backtest [--history DIR] [--job KEY] [--min-train-runs N] [--retrain-every N]",
        "           [--json]",
        "                                         time-ordered backtest of the models on the history",
        "  accuracy [--history DIR]               predictions vs actuals, drift per job",
        "  conf-reference [--write FILE]          print the configuration reference",
        "  schema-reference [--write FILE]        print the history schema reference",
        "  help                                   print this (also --help, -h)",
        "The history defaults to " + defaultHistory() + " (spark.foresight.history.path).");
  }

  static String defaultHistory() {
    return ForesightConf.HISTORY_PATH.defaultText();
  }

  private static int sql(Args args, PrintStream out, PrintStream err) throws Exception {
    if (LocalHistorySession.refuseMissing("sql", args.history, err)) {
      return 1;
    }
    SparkSession spark = LocalHistorySession.start("foresight-sql", args.history);
    try {
      Dataset<Row> result;
      List<Row> rows;
      List<String> json = null;
      try {
        result = spark.sql(args.positional.get(0));
        if (args.json) {
          json = result.toJSON().collectAsList();
          rows = List.of();
        } else {
          rows = result.collectAsList();
        }
      } catch (Exception e) { // AnalysisException is a checked exception to Java
        // Spark analyses and runs lazily: a bad query may fail at either point.
        err.println("foresight sql: " + firstLine(e.getMessage()));
        return 1;
      }
      if (json != null) {
        json.forEach(out::println);
      } else {
        out.print(TextTable.render(result.schema().fieldNames(), rows));
      }
      return 0;
    } finally {
      spark.stop();
    }
  }

  private static int importLogs(Args args, PrintStream out, PrintStream err) throws Exception {
    if (args.dryRun) {
      List<ImportResult> results = new ArrayList<>();
      org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
      for (String p : args.positional) {
        results.addAll(EventLogImporter.dryRun(p, conf));
      }
      long readable = results.stream().filter(ImportResult::imported).count();
      out.print(resultTable(results, true));
      out.printf(
          "%d of %d logs readable; nothing was written (--dry-run)%n", readable, results.size());
      return readable > 0 ? 0 : 1;
    }
    org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
    HistoryStore store = HistoryStore.open(args.history, Path.of(args.spool), conf, 20);
    store.recoverOrphans();
    EventLogImporter.Summary summary =
        EventLogImporter.run(
            args.positional,
            conf,
            store,
            args.threads,
            err,
            "1".equals(System.getenv("FORESIGHT_STDERR_TTY")));
    out.print(resultTable(summary.results(), false));
    out.printf(
        "%d of %d logs imported into %s%n",
        summary.imported(), summary.results().size(), store.location().root());
    return summary.imported() > 0 ? 0 : 1;
  }

  /** One line per log; a dry run says "readable" where an import says "imported". */
  private static String resultTable(List<ImportResult> results, boolean dryRun) {
    List<String[]> rows = new ArrayList<>();
    for (ImportResult r : results) {
      String note = r.reason() == null ? "" : r.reason();
      if (r.malformedLines() > 0) {
        note =
            (note.isEmpty() ? "" : note + "; ")
                + r.malformedLines()
                + " malformed line(s) skipped, first at "
                + r.firstMalformed();
      }
      rows.add(
          new String[] {
            dryRun && r.status().equals("imported") ? "readable" : r.status(),
            r.appId() == null ? "" : r.appId(),
            r.imported() ? String.valueOf(r.jobs()) : "",
            r.imported() ? String.valueOf(r.stages()) : "",
            r.imported() ? String.valueOf(r.tasks()) : "",
            r.imported() ? String.valueOf(r.executors()) : "",
            r.path(),
            note
          });
    }
    return TextTable.renderCells(
        new String[] {"status", "app_id", "jobs", "stages", "tasks", "executors", "log", "note"},
        rows);
  }

  private static int compact(Args args, PrintStream out, PrintStream err) throws Exception {
    if (LocalHistorySession.refuseMissing("compact", args.history, err)) {
      return 1;
    }
    SparkSession spark = LocalHistorySession.start("foresight-compact", args.history);
    try {
      for (String line : HistoryCompactor.compact(spark, args.history)) {
        out.println(line);
      }
      return 0;
    } finally {
      spark.stop();
    }
  }

  private static int emit(String text, String file, PrintStream out) throws Exception {
    if (file == null) {
      out.print(text);
    } else {
      Files.writeString(Path.of(file), text);
    }
    return 0;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "query failed";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** Parsed arguments: a command, positional words and the common options. */
  static final class Args {
    String command;
    final List<String> positional = new ArrayList<>();
    String history = ForesightConf.expandHome(defaultHistory());
    boolean json;
    boolean dryRun;
    String write;
    String spool = ForesightConf.expandHome(ForesightConf.SPOOL_DIR.defaultText());
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    final java.util.Map<String, String> options = new java.util.HashMap<>();
    boolean noRecord;
    final java.util.Map<String, String> conf = new java.util.HashMap<>();

    /** Options that take a value, used by the forecast commands. */
    static final java.util.Set<String> VALUE_OPTIONS =
        java.util.Set.of(
            "--job",
            "--input-gib",
            "--input-bytes",
            "--input",
            "--at",
            "--executors",
            "--cores",
            "--start",
            "--run-id",
            "--version",
            "--quantile",
            "--min-runs",
            "--keep",
            "--min-train-runs",
            "--retrain-every",
            "--executor-memory");

    String option(String name) {
      return options.get(name);
    }

    static Args parse(String[] argv) {
      Args a = new Args();
      a.command = argv[0];
      for (int i = 1; i < argv.length; i++) {
        String s = argv[i];
        switch (s) {
          case "--history" -> a.history = value(argv, ++i, s);
          case "--json" -> a.json = true;
          case "--dry-run" -> a.dryRun = true;
          case "--no-record" -> a.noRecord = true;
          case "--conf" -> {
            String kv = value(argv, ++i, s);
            int eq = kv.indexOf('=');
            if (eq <= 0) {
              throw new IllegalArgumentException("--conf expects KEY=VALUE, got '" + kv + "'");
            }
            a.conf.put(kv.substring(0, eq), kv.substring(eq + 1));
          }
          case "--write" -> a.write = value(argv, ++i, s);
          case "--spool" -> a.spool = value(argv, ++i, s);
          case "--threads" -> {
            String t = value(argv, ++i, s);
            try {
              a.threads = Integer.parseInt(t);
            } catch (NumberFormatException e) {
              a.threads = 0;
            }
            if (a.threads < 1 || a.threads > 64) {
              throw new IllegalArgumentException(
                  "--threads expects a whole number from 1 to 64, got '" + t + "'");
            }
          }
          default -> {
            if (VALUE_OPTIONS.contains(s)) {
              a.options.put(s, value(argv, ++i, s));
              continue;
            }
            if (s.startsWith("--")) {
              throw new IllegalArgumentException("unknown option " + s);
            }
            a.positional.add(s);
          }
        }
      }
      return a;
    }

    private static String value(String[] argv, int i, String option) {
      if (i >= argv.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return argv[i];
    }
  }
}
