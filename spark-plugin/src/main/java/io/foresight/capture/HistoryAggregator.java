package io.foresight.capture;

import io.foresight.capture.CaptureEvent.*;
import io.foresight.history.AppRecord;
import io.foresight.history.ExecutorRecord;
import io.foresight.history.HistoryRecord;
import io.foresight.history.JobRecord;
import io.foresight.history.StageRecord;
import io.foresight.plan.StageDag;
import io.foresight.plan.StageKeys;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Builds history rows from capture events: the one place where events become records, for live
 * capture and event-log replay alike. Not thread-safe; one thread feeds it.
 *
 * <p>Rows are emitted as soon as they are final: a stage row when the stage attempt completes, a
 * job row when the job ends, executor rows when an executor is added and removed, application rows
 * at start and end (or {@link #finish()} when the end never came).
 */
public final class HistoryAggregator {
  /** Receives finished rows. */
  public interface RecordSink {
    void emit(HistoryRecord record) throws IOException;
  }

  private static final int MAX_EARLY_EVENTS = 100_000;

  /** Ended SQL executions whose plans are kept for a job still running. */
  static final int MAX_ENDED_RUNNING = 64;

  private final List<CaptureEvent> early = new ArrayList<>();
  private final RecordSink sink;
  private final String ingestId;
  private final String source;
  private final String sourcePath;
  private final LongSupplier clock;
  private final StageSignatures signatures = new StageSignatures();
  private final StageProducers producers = new StageProducers();

  private Redactor redactor = Redactor.from(Map.of());
  private String appId;
  private String attemptId = "";
  private String appName;
  private String user;
  private String sparkVersion;
  private String master;
  private String deployMode;
  private String mainClass;
  private String explicitJobId;
  private Map<String, String> conf = Map.of();
  private Long startMs;
  private Long endMs;
  private Integer exitCode;
  private boolean appStarted;
  private boolean appEnded;
  private int appRevision;

  private int jobCount;
  private int stageCount;
  private long taskCount;
  private long inputBytes;

  private final Map<Integer, ProfileAdded> profiles = new HashMap<>();
  // Per stage id, for every stage a job listed (a skipped one never completes): bounded, as an
  // application may run stages for days.
  private final Map<Integer, Integer> stageToJob = Bounded.map(Bounded.STAGES);
  private final Map<Integer, Long> stageToSql = Bounded.map(Bounded.STAGES);
  private final Map<Long, List<PendingStage>> pendingStages = new HashMap<>();
  private final Set<Integer> internalStages = Bounded.set(Bounded.STAGES);
  private final Set<Integer> internalJobs = Bounded.set(Bounded.IN_FLIGHT);
  private final Map<Integer, JobStarted> jobs = Bounded.map(Bounded.IN_FLIGHT);
  private final Map<Integer, Long> jobInput = Bounded.map(Bounded.IN_FLIGHT);
  private final Map<Long, StageAccumulator> stages = Bounded.map(Bounded.IN_FLIGHT);
  private final Map<String, ExecutorAdded> executors = new HashMap<>();
  private final Map<Long, PlanNode> sqlPlans = Bounded.map(Bounded.PLANS);
  private final Map<Long, String> skeletons = Bounded.map(Bounded.PLANS);
  private final Map<Long, Map<Long, Long>> driverMetrics = Bounded.map(Bounded.PLANS);
  // SQL executions that ended while a job of theirs still ran: their plans are kept until it ends,
  // for at most MAX_ENDED_RUNNING of them (a job end Spark dropped must not keep a plan for days).
  private final Set<Long> endedSql = new java.util.LinkedHashSet<>();
  private Long listedInputBytes;
  private int alive;
  private int maxAlive;
  private double coreSeconds;
  private double memoryByteSeconds;
  private boolean sawExecutors;
  private int executorsSeen;
  private String fallbackAppId;

  /**
   * @param ingestId identifies this capture session or import; all rows carry it
   * @param source {@code live} or {@code eventlog}
   * @param sourcePath the event log, for imports; else null
   */
  public HistoryAggregator(
      RecordSink sink, String ingestId, String source, String sourcePath, LongSupplier clock) {
    this.sink = sink;
    this.ingestId = ingestId;
    this.source = source;
    this.sourcePath = sourcePath;
    this.clock = clock;
  }

  /** The application id to use when the events never name one (a log without its start). */
  public void fallbackAppId(String id) {
    this.fallbackAppId = id;
  }

  /** Executors added. */
  public int executorsSeen() {
    return executorsSeen;
  }

  /** {@link #accept} for events that write no rows and so cannot fail. */
  public void acceptQuietly(CaptureEvent event) {
    try {
      accept(event);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The application id once known. */
  public String appId() {
    return appId;
  }

  public boolean appEnded() {
    return appEnded;
  }

  public int jobCount() {
    return jobCount;
  }

  public int stageCount() {
    return stageCount;
  }

  public long taskCount() {
    return taskCount;
  }

  public int executorCount() {
    return executors.size();
  }

  /**
   * The most jobs or stage attempts in flight any of its lookups remembers (each is {@link
   * Bounded}): as many as run at once, unless end events were dropped.
   */
  int inFlightRemembered() {
    return Math.max(
        Math.max(jobs.size(), jobInput.size()), Math.max(internalJobs.size(), stages.size()));
  }

  /** The SQL plans it remembers. */
  int plansRemembered() {
    return Math.max(sqlPlans.size(), Math.max(skeletons.size(), driverMetrics.size()));
  }

  /** The most stages any of its per-stage lookups remembers (each is {@link Bounded}). */
  int stagesRemembered() {
    return Math.max(
        Math.max(stageToJob.size(), stageToSql.size()),
        Math.max(internalStages.size(), Math.max(signatures.remembered(), producers.remembered())));
  }

  public void accept(CaptureEvent event) throws IOException {
    if (!appStarted && needsApplication(event)) {
      // Spark posts some events (the local executor, early jobs) before the application start;
      // rows need the application id, so hold them until it is known.
      if (early.size() < MAX_EARLY_EVENTS) {
        early.add(event);
      }
      return;
    }
    dispatch(event);
    if (event instanceof AppStarted) {
      List<CaptureEvent> held = new ArrayList<>(early);
      early.clear();
      for (CaptureEvent e : held) {
        dispatch(e);
      }
    }
  }

  private static boolean needsApplication(CaptureEvent e) {
    return !(e instanceof VersionSeen
        || e instanceof EnvironmentSeen
        || e instanceof InputListed
        || e instanceof AppStarted
        || e instanceof ProfileAdded);
  }

  private void dispatch(CaptureEvent event) throws IOException {
    if (event instanceof VersionSeen v) {
      sparkVersion = v.sparkVersion();
    } else if (event instanceof EnvironmentSeen e) {
      environment(e);
    } else if (event instanceof InputListed l) {
      listedInputBytes = l.bytes();
    } else if (event instanceof AppStarted a) {
      appStarted(a);
    } else if (event instanceof AppEnded a) {
      appEnded(a);
    } else if (event instanceof ProfileAdded p) {
      profiles.put(p.profileId(), p);
    } else if (event instanceof JobStarted j) {
      jobStarted(j);
    } else if (event instanceof JobEnded j) {
      jobEnded(j);
    } else if (event instanceof StageSubmitted s) {
      stageSubmitted(s);
    } else if (event instanceof TaskEnded t) {
      taskEnded(t);
    } else if (event instanceof ExecutorPeaks p) {
      StageAccumulator acc = stages.get(key(p.stageId(), p.stageAttemptId()));
      if (acc != null) {
        acc.peaks = acc.peaks.max(p.peaks());
      }
    } else if (event instanceof StageCompleted s) {
      stageCompleted(s);
    } else if (event instanceof ExecutorAdded e) {
      executorAdded(e);
    } else if (event instanceof ExecutorRemoved e) {
      executorRemoved(e);
    } else if (event instanceof SqlPlan p) {
      sqlPlans.put(p.executionId(), p.root());
      skeletons.computeIfAbsent(p.executionId(), id -> StageSignatures.skeleton(p.root()));
      retryPending(p.executionId(), false);
    } else if (event instanceof DriverMetrics d) {
      driverMetrics.computeIfAbsent(d.executionId(), id -> new HashMap<>()).putAll(d.values());
    } else if (event instanceof SqlExecutionEnded e) {
      retryPending(e.executionId(), true);
      if (runsJobs(e.executionId())) {
        // An interrupted execution (a stopped streaming query's batch) ends while its job still
        // runs: a stage completing after the end is still named by the plan.
        endedSql.add(e.executionId());
        if (endedSql.size() > MAX_ENDED_RUNNING) {
          releaseSql(endedSql.iterator().next());
        }
      } else {
        releaseSql(e.executionId());
      }
    }
  }

  /** True while a job of SQL execution {@code sqlId} has started and not ended. */
  private boolean runsJobs(long sqlId) {
    for (JobStarted j : jobs.values()) {
      if (j.sqlExecutionId() != null && j.sqlExecutionId() == sqlId) {
        return true;
      }
    }
    return false;
  }

  /** Forgets an ended SQL execution whose jobs have all ended, naming what still waits. */
  private void releaseSql(long sqlId) throws IOException {
    retryPending(sqlId, true);
    endedSql.remove(sqlId);
    sqlPlans.remove(sqlId);
    skeletons.remove(sqlId);
    driverMetrics.remove(sqlId);
  }

  /** Ends the application without an end event (truncated log, killed or stopped capture). */
  public void finish() throws IOException {
    for (Long sqlId : new ArrayList<>(pendingStages.keySet())) {
      retryPending(sqlId, true);
    }
    if (!appStarted && !early.isEmpty()) {
      // No start event at all: keep what we have, under the fallback id, without an app row.
      appStarted = true;
      appId = fallbackAppId;
      for (CaptureEvent e : new ArrayList<>(early)) {
        dispatch(e);
      }
      early.clear();
      return;
    }
    if (appStarted && !appEnded) {
      emitUnfinishedJobs();
      emitApp("INCOMPLETE");
    }
  }

  private void environment(EnvironmentSeen e) {
    Map<String, String> props = e.sparkProperties();
    redactor = Redactor.from(props);
    master = props.get("spark.master");
    deployMode = props.getOrDefault("spark.submit.deployMode", "client");
    explicitJobId =
        JobKeys.givenId(
            props.get("spark.foresight.job.id"),
            JobKeys.databricksJobId(
                props.get(JobKeys.DATABRICKS_JOB_ID), props.get(JobKeys.DATABRICKS_CLUSTER_NAME)));
    if (appName == null) {
      appName = props.get("spark.app.name");
    }
    mainClass = JobKeys.mainClass(e.systemProperties().get("sun.java.command"));
    Map<String, String> relevant = new TreeMap<>();
    props.forEach(
        (k, v) -> {
          if (ResourceConf.isRelevant(k)) {
            relevant.put(k, v);
          }
        });
    conf = redactor.conf(relevant);
  }

  private void appStarted(AppStarted a) throws IOException {
    appId = a.appId() != null ? a.appId() : appId;
    attemptId = a.attemptId() == null ? "" : a.attemptId();
    appName = a.name();
    user = a.user();
    startMs = a.timeMs();
    appStarted = true;
    emitApp("RUNNING");
  }

  private void appEnded(AppEnded a) throws IOException {
    for (Long sqlId : new ArrayList<>(pendingStages.keySet())) {
      retryPending(sqlId, true);
    }
    endMs = a.timeMs();
    emitUnfinishedJobs();
    exitCode = a.exitCode();
    for (ExecutorAdded e : executors.values()) {
      accrue(e, endMs);
    }
    executors.clear();
    alive = 0;
    appEnded = true;
    emitApp(exitCode == null || exitCode == 0 ? "SUCCEEDED" : "FAILED");
  }

  /** {@code conf} with the input size listed after start-up, unless the conf has one. */
  private Map<String, String> withListedInput(Map<String, String> conf) {
    if (listedInputBytes == null
        || (conf != null
            && conf.containsKey(io.foresight.forecast.HistoryReader.INPUT_BYTES_KEY))) {
      return conf;
    }
    Map<String, String> out = conf == null ? new TreeMap<>() : new TreeMap<>(conf);
    out.put(io.foresight.forecast.HistoryReader.INPUT_BYTES_KEY, Long.toString(listedInputBytes));
    return out;
  }

  private void emitApp(String status) throws IOException {
    appRevision++;
    sink.emit(
        new AppRecord(
            HistoryRecord.SCHEMA_VERSION,
            appId,
            attemptId,
            ingestId,
            redactor.text(appName),
            user,
            sparkVersion,
            master,
            deployMode,
            mainClass,
            JobKeys.derive(explicitJobId, redactor.text(appName), mainClass),
            startMs,
            endMs,
            status,
            withListedInput(conf),
            sawExecutors ? coreSeconds : null,
            sawExecutors ? memoryByteSeconds : null,
            sawExecutors ? maxAlive : null,
            jobCount,
            stageCount,
            taskCount,
            inputBytes,
            appRevision,
            source,
            sourcePath,
            clock.getAsLong()));
  }

  private void jobStarted(JobStarted j) {
    if (explicitJobId == null && j.databricksJobId() != null) {
      // Databricks names every application "Databricks Shell" and its job on each job it runs
      explicitJobId = JobKeys.givenId(null, j.databricksJobId());
    }
    if (j.internal()) {
      internalJobs.add(j.jobId());
      j.stages().forEach(s -> internalStages.add(s.stageId()));
      return;
    }
    signatures.learn(
        j.stages(), j.sqlExecutionId() == null ? null : skeletons.get(j.sqlExecutionId()));
    for (StageShape s : j.stages()) {
      producers.listed(s);
      stageToJob.putIfAbsent(s.stageId(), j.jobId());
      if (j.sqlExecutionId() != null) {
        stageToSql.putIfAbsent(s.stageId(), j.sqlExecutionId());
      }
    }
    jobs.put(j.jobId(), j);
    jobCount++;
  }

  /** Jobs that started but never ended (the application stopped or the log was cut). */
  private void emitUnfinishedJobs() throws IOException {
    for (Integer id : new java.util.TreeSet<>(jobs.keySet())) {
      jobEnded(new JobEnded(id, -1, false, null), "UNFINISHED");
    }
  }

  private void jobEnded(JobEnded e) throws IOException {
    jobEnded(e, e.succeeded() ? "SUCCEEDED" : "FAILED");
  }

  private void jobEnded(JobEnded e, String result) throws IOException {
    JobStarted j = jobs.remove(e.jobId());
    if (j == null) {
      // Foresight's own job, or an end without a start (already closed, or the start is
      // missing from a log): a row needs the job's stages and start.
      internalJobs.remove(e.jobId());
      return;
    }
    Long sqlId = j.sqlExecutionId();
    if (sqlId != null && endedSql.contains(sqlId) && !runsJobs(sqlId)) {
      releaseSql(sqlId);
    }
    List<Integer> stageIds = new ArrayList<>();
    j.stages().forEach(s -> stageIds.add(s.stageId()));
    sink.emit(
        new JobRecord(
            HistoryRecord.SCHEMA_VERSION,
            appId,
            attemptId,
            ingestId,
            e.jobId(),
            stageIds,
            j.sqlExecutionId(),
            redactor.text(j.jobGroup()),
            j.timeMs(),
            e.timeMs() < 0 ? null : e.timeMs(),
            result,
            e.succeeded() ? null : redactor.text(e.failure()),
            jobInput.remove(e.jobId()),
            source,
            sourcePath,
            clock.getAsLong()));
  }

  private void stageSubmitted(StageSubmitted s) {
    int id = s.shape().stageId();
    if (s.internal() || internalStages.contains(id)) {
      internalStages.add(id);
      return;
    }
    Long sqlId = stageToSql.get(id);
    signatures.of(s.shape(), sqlId == null ? null : skeletons.get(sqlId));
    producers.submitted(s.shape());
    stages.computeIfAbsent(key(id, s.shape().attemptId()), k -> new StageAccumulator(s.shape()));
  }

  private void taskEnded(TaskEnded t) {
    if (internalStages.contains(t.stageId())) {
      return;
    }
    taskCount++;
    StageAccumulator acc = stages.get(key(t.stageId(), t.stageAttemptId()));
    if (acc != null) {
      acc.add(t);
    }
  }

  private void stageCompleted(StageCompleted s) throws IOException {
    StageShape shape = s.shape();
    long k = key(shape.stageId(), shape.attemptId());
    if (internalStages.contains(shape.stageId())) {
      stages.remove(k);
      return;
    }
    StageAccumulator acc = stages.remove(k);
    if (acc == null) {
      acc = new StageAccumulator(shape);
    }
    // Input counts when the stage completes, even when its row waits for the plan (below): the
    // job's
    // row may be written first.
    StageTotals totals = s.totals();
    Integer job = stageToJob.get(shape.stageId());
    if (totals != null) {
      inputBytes += totals.inputBytes();
      if (job != null) {
        jobInput.merge(job, totals.inputBytes(), Long::sum);
      }
    }
    completeStage(s, acc, false);
  }

  /** A SQL stage completed before the plan update that holds its part of the plan. */
  private record PendingStage(StageCompleted event, StageAccumulator acc) {}

  /** Emits the stages of {@code sqlId} waiting for a plan; with {@code force}, whatever comes. */
  private void retryPending(long sqlId, boolean force) throws IOException {
    List<PendingStage> waiting = pendingStages.remove(sqlId);
    if (waiting != null) {
      for (PendingStage p : waiting) {
        completeStage(p.event(), p.acc(), force);
      }
    }
  }

  private void completeStage(StageCompleted s, StageAccumulator acc, boolean force)
      throws IOException {
    StageShape shape = s.shape();
    Long sqlId = stageToSql.get(shape.stageId());
    StageTotals t = s.totals();
    Integer jobId = stageToJob.get(shape.stageId());
    PlanNode plan = sqlId == null ? null : sqlPlans.get(sqlId);
    PlanAnalysis.Characteristics c = null;
    List<String> formats;
    String signature = null;
    if (plan != null) {
      Set<Long> accums = new HashSet<>();
      for (long id : s.accumulableIds()) {
        accums.add(id);
      }
      // A SQL stage is named by its plan fragment, as the planner names it (StageKeys, v2).
      signature = StageKeys.keyOfStage(plan, accums);
      if (!force && (signature == null || plan.name().equals("AdaptiveSparkPlan"))) {
        // Under AQE a stage can complete before the plan update that holds its part of the plan
        // (a broadcast re-planned from a shuffle), and be matched against a stale plan. Adaptive
        // queries' stages are named against the final plan when the query ends; a stage none of
        // whose metrics is in the plan waits for the next plan update.
        pendingStages.computeIfAbsent(sqlId, id -> new ArrayList<>()).add(new PendingStage(s, acc));
        return;
      }
      if (signature != null) {
        signatures.remember(shape.stageId(), signature);
      }
      c = PlanAnalysis.analyse(plan, accums, driverMetrics.getOrDefault(sqlId, Map.of()));
      formats = c.formats();
    } else {
      formats = PlanAnalysis.rddFormats(shape.rdds());
    }
    if (signature == null) {
      signature = signatures.of(shape, sqlId == null ? null : skeletons.get(sqlId));
    }
    List<Integer> producerIds = producers.producers(shape);
    if (plan != null && signature != null) {
      producerIds = producers.withBuilds(producerIds, builtBy(plan, signature), shape.stageId());
    }
    producers.completed(shape, signature);
    long[] q = acc.durationQuantiles(0.5, 0.95, 1.0);
    ProfileAdded profile = profiles.get(s.resourceProfileId());
    Long duration =
        s.submissionMs() != null && s.completionMs() != null
            ? s.completionMs() - s.submissionMs()
            : null;
    sink.emit(
        new StageRecord(
            HistoryRecord.SCHEMA_VERSION,
            appId,
            attemptId,
            ingestId,
            jobId,
            shape.stageId(),
            shape.attemptId(),
            redactor.text(shape.name()),
            operators(c, shape),
            s.failureReason() == null ? "COMPLETE" : "FAILED",
            redactor.text(s.failureReason()),
            shape.numTasks(),
            acc.sawTasks ? acc.successfulTasks() : null,
            acc.sawTasks ? acc.failed : null,
            acc.sawTasks ? acc.killed : null,
            s.submissionMs(),
            s.completionMs(),
            duration,
            t == null ? null : t.executorRunTimeMs(),
            t == null ? null : t.executorCpuTimeNs() / 1_000_000L,
            t == null ? null : t.jvmGcTimeMs(),
            acc.sawTasks ? acc.maxPeakExecutionMemory : null,
            t == null ? null : t.inputBytes(),
            t == null ? null : t.inputRecords(),
            c == null ? null : c.filesReadBytes(),
            t == null ? null : t.outputBytes(),
            t == null ? null : t.outputRecords(),
            t == null ? null : t.shuffleReadBytes(),
            t == null ? null : t.shuffleReadRecords(),
            t == null ? null : t.shuffleWriteBytes(),
            t == null ? null : t.shuffleWriteRecords(),
            t == null ? null : t.memorySpillBytes(),
            t == null ? null : t.diskSpillBytes(),
            q == null ? null : q[0],
            q == null ? null : q[1],
            q == null ? null : q[2],
            s.resourceProfileId(),
            profile == null ? null : profile.cores(),
            profile == null ? null : profile.memoryBytes(),
            profile == null ? null : profile.gpus(),
            positive(acc.peaks.jvmHeap()),
            positive(acc.peaks.jvmOffHeap()),
            positive(acc.peaks.processRss()),
            positive(acc.peaks.execution()),
            positive(acc.peaks.withUnifiedAtLeastExecution().unified()),
            positive(acc.peaks.heapAfterGc()),
            signature,
            shape.parentIds(),
            producerIds,
            sqlId,
            formats,
            c == null ? null : c.joins(),
            c == null ? null : c.aggregates(),
            c == null ? null : c.windows(),
            c == null ? null : c.exchanges(),
            c == null ? null : c.sorts(),
            c == null ? null : c.udfs(),
            c == null ? null : c.schemaDepth(),
            source,
            sourcePath,
            clock.getAsLong()));
    stageCount++;
  }

  /**
   * What the stage runs: its part of the SQL plan, or its RDD operations when it has no plan or no
   * node of the plan ran in it (a Python {@code df.rdd.collect()}, for one).
   */
  private List<String> operators(PlanAnalysis.Characteristics c, StageShape shape) {
    List<String> ops =
        c == null || c.operators().isEmpty()
            ? PlanAnalysis.rddOperators(shape.rdds())
            : c.operators();
    List<String> out = new ArrayList<>(ops.size());
    for (String op : ops) {
      out.add(redactor.text(op));
    }
    return out;
  }

  /**
   * The signatures of the broadcast and subquery fragments that the fragment {@code signature} of
   * {@code plan} reads (its non-shuffle parents in the plan's {@link StageDag}); empty when the
   * stage's fragment is not in the plan.
   */
  private static List<String> builtBy(PlanNode plan, String signature) {
    StageDag dag = StageDag.of(plan);
    StageDag.Stage stage = dag.stage(signature);
    if (stage == null) {
      return List.of();
    }
    return stage.parents().stream()
        .filter(k -> dag.stage(k).kind() != StageKeys.Kind.SHUFFLE)
        .toList();
  }

  private void executorAdded(ExecutorAdded e) throws IOException {
    sawExecutors = true;
    executorsSeen++;
    if (executors.put(e.executorId(), e) == null) {
      alive++;
      maxAlive = Math.max(maxAlive, alive);
    }
    emitExecutor(e, null, null, 1);
  }

  private void executorRemoved(ExecutorRemoved r) throws IOException {
    ExecutorAdded e = executors.remove(r.executorId());
    if (e == null) {
      return;
    }
    alive--;
    accrue(e, r.timeMs());
    emitExecutor(e, r.timeMs(), redactor.text(r.reason()), 2);
  }

  private void accrue(ExecutorAdded e, long untilMs) {
    double seconds = Math.max(0, untilMs - e.timeMs()) / 1000.0;
    coreSeconds += seconds * e.cores();
    ProfileAdded p = profiles.get(e.resourceProfileId());
    if (p != null && p.memoryBytes() != null) {
      memoryByteSeconds += seconds * p.memoryBytes();
    }
  }

  private void emitExecutor(ExecutorAdded e, Long removedMs, String reason, int revision)
      throws IOException {
    ProfileAdded p = profiles.get(e.resourceProfileId());
    sink.emit(
        new ExecutorRecord(
            HistoryRecord.SCHEMA_VERSION,
            appId,
            attemptId,
            ingestId,
            e.executorId(),
            e.resourceProfileId(),
            e.cores(),
            p == null ? null : p.memoryBytes(),
            e.gpus() != null ? e.gpus() : (p == null ? null : p.gpus()),
            e.host(),
            e.timeMs(),
            removedMs,
            reason,
            revision,
            source,
            sourcePath,
            clock.getAsLong()));
  }

  private static Long positive(long v) {
    return v > 0 ? v : null;
  }

  private static long key(int stageId, int attempt) {
    return ((long) stageId << 32) | (attempt & 0xffffffffL);
  }
}
