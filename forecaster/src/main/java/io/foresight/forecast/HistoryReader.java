package io.foresight.forecast;

import io.foresight.history.HistoryLocation;
import io.foresight.history.HistoryTable;
import io.foresight.history.HistoryViews;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads the captured history, through the {@code foresight.*} views, into {@link AppRun}s: the
 * succeeded applications that have a job key, with their completed stages, oldest first. Each
 * application attempt is a run; the run id of an attempt of a multi-attempt application (YARN,
 * Kubernetes) is {@code app_id#attempt_id}.
 */
public final class HistoryReader {
  /** The conf key a scheduler sets to the run's nominal (logical) time. */
  public static final String SCHEDULED_TIME_KEY = "spark.foresight.job.scheduledTime";

  /**
   * The conf key that holds the size of a run's input paths at submission: set by a scheduler, or
   * by the plugin from listing {@code spark.foresight.input.paths}.
   */
  public static final String INPUT_BYTES_KEY = "spark.foresight.input.bytes";

  /** The run id of a row: {@code app_id}, or {@code app_id#attempt_id} for a named attempt. */
  private static final String RUN_ID_SQL =
      "concat(app_id, CASE WHEN attempt_id = '' OR attempt_id IS NULL THEN ''"
          + " ELSE concat('#', attempt_id) END)";

  private HistoryReader() {}

  public static List<AppRun> read(SparkSession spark, String historyPath) {
    HistoryViews.register(spark, historyPath);
    Map<String, List<StageRow>> stages = new HashMap<>();
    Map<String, Integer> profileCores = new HashMap<>();
    List<Row> apps =
        spark
            .sql(
                "SELECT "
                    + RUN_ID_SQL
                    + ", job_key, start_ms, end_ms, coalesce(input_bytes, 0), conf,"
                    + " coalesce(max_concurrent_executors, 0), master FROM foresight.apps"
                    + " WHERE status = 'SUCCEEDED' AND job_key IS NOT NULL"
                    + " AND start_ms IS NOT NULL AND end_ms IS NOT NULL")
            .collectAsList();
    // In local mode the executor is the driver's JVM: its heap is not the profile's memory.
    Set<String> local = new HashSet<>();
    for (Row a : apps) {
      if (!a.isNullAt(7) && a.getString(7).startsWith("local")) {
        local.add(a.getString(0));
      }
    }
    // The views show columns an older table lacks as NULL: such a history's files_read_bytes is
    // 0 here, and its volumes are input bytes.
    List<Row> stageRows =
        spark
            .sql(
                "SELECT "
                    + RUN_ID_SQL
                    + ", stage_id, signature, name,"
                    + " coalesce(producer_stage_ids, parent_stage_ids), num_tasks,"
                    + " coalesce(duration_ms, 0), coalesce(executor_run_time_ms, 0),"
                    + " coalesce(peak_execution_memory_bytes, 0),"
                    + " coalesce(executor_peak_jvm_heap_bytes, 0), coalesce(input_bytes, 0),"
                    + " coalesce(shuffle_write_bytes, 0), coalesce(disk_spill_bytes, 0),"
                    + " coalesce(join_count, 0), coalesce(aggregate_count, 0),"
                    + " coalesce(window_count, 0), coalesce(exchange_count, 0),"
                    + " coalesce(sort_count, 0), coalesce(udf_count, 0),"
                    + " coalesce(input_schema_depth, 0), input_formats, profile_executor_cores,"
                    + " coalesce(files_read_bytes, 0), coalesce(profile_executor_gpus, 0D),"
                    + " coalesce(profile_executor_memory_bytes, 0),"
                    + " coalesce(executor_peak_unified_memory_bytes, 0),"
                    + " coalesce(executor_peak_heap_after_gc_bytes, 0), operators"
                    + " FROM foresight.stages WHERE status = 'COMPLETE'"
                    + " ORDER BY app_id, stage_id, stage_attempt_id")
            .collectAsList();
    for (Row r : stageRows) {
      String appId = r.getString(0);
      stages.computeIfAbsent(appId, k -> new ArrayList<>()).add(stageRow(r, local.contains(appId)));
      if (!r.isNullAt(21)) {
        profileCores.merge(appId, r.getInt(21), Math::max);
      }
    }
    List<AppRun> runs = new ArrayList<>();
    for (Row a : apps) {
      String appId = a.getString(0);
      Map<String, String> conf = a.isNullAt(5) ? Map.of() : a.getJavaMap(5);
      long start = a.getLong(2);
      long scheduled = scheduledTime(conf.get(SCHEDULED_TIME_KEY), start);
      int cores = executorCores(profileCores.get(appId), conf, a.isNullAt(7) ? "" : a.getString(7));
      List<StageRow> appStages = stages.getOrDefault(appId, List.of());
      runs.add(
          new AppRun(
              appId,
              a.getString(1),
              scheduled,
              a.getLong(3) - start,
              AppRun.inputVolume(a.getLong(4), appStages),
              cores,
              Math.max(1, a.getInt(6)),
              appStages,
              inputBytes(conf.get(INPUT_BYTES_KEY))));
    }
    runs.sort(Comparator.comparingLong(AppRun::startMs).thenComparing(AppRun::appId));
    return runs;
  }

  /** The Delta version of each history table, for the model's training-data record. */
  public static Map<String, Long> tableVersions(SparkSession spark, String historyPath) {
    HistoryLocation location = HistoryLocation.of(historyPath);
    Map<String, Long> out = new LinkedHashMap<>();
    for (HistoryTable t : List.of(HistoryTable.APPS, HistoryTable.STAGES)) {
      List<Row> h =
          spark
              .sql(
                  "DESCRIBE HISTORY "
                      + HistoryLocation.sqlTable(location.tablePath(t))
                      + " LIMIT 1")
              .select("version")
              .collectAsList();
      out.put(t.tableName() + "_table_version", h.isEmpty() ? -1L : h.get(0).getLong(0));
    }
    return out;
  }

  /** The forms {@link #scheduledTime} reads, for messages and docs. */
  public static final String SCHEDULED_TIME_FORMS =
      "epoch milliseconds or an ISO-8601 date or date-time such as 2026-11-23,"
          + " 2026-11-23T02:00:00Z or 2026-11-23T03:00:00+01:00 (UTC when it has no offset)";

  /**
   * Parses a scheduled time; {@code fallback} when unset or bad. Schedulers pass their logical date
   * in several forms: epoch milliseconds, an instant with {@code Z} or an offset, a date-time
   * without one (read as UTC, the zone of the calendar features), a date (its midnight, UTC), and
   * any of these with a space for the {@code T} (Python's {@code str(datetime)}).
   */
  public static long scheduledTime(String value, long fallback) {
    if (value == null || value.isBlank()) {
      return fallback;
    }
    String v = value.trim();
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException notEpoch) {
      // fall through to the date forms
    }
    if (v.length() > 10 && v.charAt(10) == ' ') {
      v = v.substring(0, 10) + 'T' + v.substring(11).trim();
    }
    try {
      return OffsetDateTime.parse(v).toInstant().toEpochMilli();
    } catch (DateTimeParseException notOffset) {
      // no offset, or not a date-time
    }
    try {
      return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeParseException notLocal) {
      // not a date-time
    }
    try {
      return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    } catch (DateTimeParseException notDate) {
      return fallback;
    }
  }

  /** Task slots per executor: local[N] runs N at once; otherwise the profile's or conf's cores. */
  public static int executorCores(Integer profileCores, Map<String, String> conf, String master) {
    if (master != null && master.startsWith("local")) {
      if (!master.startsWith("local[")) {
        return 1;
      }
      int end = master.indexOf(']');
      String n = master.substring(6, end > 0 ? end : master.length()).split(",")[0].trim();
      if (n.equals("*")) {
        return Runtime.getRuntime().availableProcessors();
      }
      try {
        return Math.max(1, Integer.parseInt(n));
      } catch (NumberFormatException ignored) {
        return 1;
      }
    }
    if (profileCores != null && profileCores > 0) {
      return profileCores;
    }
    String c = conf.get("spark.executor.cores");
    if (c != null) {
      try {
        return Math.max(1, Integer.parseInt(c.trim()));
      } catch (NumberFormatException ignored) {
        return 1;
      }
    }
    return 1;
  }

  private static StageRow stageRow(Row r, boolean local) {
    List<Integer> parents = r.isNullAt(4) ? List.of() : r.getList(4);
    List<String> formats = r.isNullAt(20) ? List.of() : r.getList(20);
    List<String> operators = r.isNullAt(27) ? List.of() : r.getList(27);
    return new StageRow(
        r.getInt(1),
        r.isNullAt(2) ? null : r.getString(2),
        StageRow.label(r.isNullAt(3) ? null : r.getString(3), operators),
        parents,
        r.getInt(5),
        r.getLong(6),
        r.getLong(7),
        r.getLong(8),
        r.getLong(9),
        r.getLong(10),
        r.getLong(22),
        r.getLong(11),
        r.getLong(12),
        r.getInt(13),
        r.getInt(14),
        r.getInt(15),
        r.getInt(16),
        r.getInt(17),
        r.getInt(18),
        r.getInt(19),
        formats,
        r.getDouble(23),
        r.isNullAt(21) ? 0 : r.getInt(21),
        local ? 0 : r.getLong(24),
        r.getLong(25),
        r.getLong(26));
  }

  /** A recorded input size (bytes, or a size such as {@code 12g}); 0 when unset or not a size. */
  static long inputBytes(String value) {
    if (value == null || value.isBlank()) {
      return 0;
    }
    try {
      return INPUT_SIZE.parser().apply(value.trim());
    } catch (RuntimeException notASize) {
      return 0;
    }
  }

  private static final io.foresight.config.ValueType<Long> INPUT_SIZE =
      io.foresight.config.ValueType.bytes(0, Long.MAX_VALUE);
}
