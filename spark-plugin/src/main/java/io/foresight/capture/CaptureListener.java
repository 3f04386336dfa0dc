package io.foresight.capture;

import io.foresight.capture.CaptureEvent.ExecutorPeaks;
import io.foresight.capture.CaptureEvent.Peaks;
import io.foresight.capture.CaptureEvent.PlanNode;
import io.foresight.capture.CaptureEvent.RddOp;
import io.foresight.capture.CaptureEvent.StageShape;
import io.foresight.capture.CaptureEvent.StageTotals;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.spark.executor.ExecutorMetrics;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.resource.ExecutorResourceRequest;
import org.apache.spark.scheduler.*;
import org.apache.spark.sql.execution.SparkPlanInfo;
import org.apache.spark.sql.execution.metric.SQLMetricInfo;
import org.apache.spark.sql.execution.ui.SparkListenerDriverAccumUpdates;
import org.apache.spark.sql.execution.ui.SparkListenerSQLAdaptiveExecutionUpdate;
import org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionEnd;
import org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Turns Spark listener events into {@link CaptureEvent}s. Each callback copies what it needs and
 * returns: no I/O, no locks, no aggregation (that happens on the writer thread). A failure inside a
 * callback is reported to the sink and never reaches Spark.
 *
 * <p>Jobs run with the local property {@value #INTERNAL_PROPERTY} = true are Foresight's own
 * (history reads) and are marked so the aggregator skips them.
 */
public final class CaptureListener extends SparkListener {
  /** Local property that marks Foresight's own jobs. */
  public static final String INTERNAL_PROPERTY = "foresight.internal";

  private static final String SQL_EXECUTION_ID = "spark.sql.execution.id";
  private static final String INTERNAL_METRICS = "internal.metrics.";
  private static final String JOB_GROUP = "spark.jobGroup.id";

  /** The SQL metric a file scan sets, on the driver, to the size of the files it selected. */
  static final String FILES_READ_METRIC = "size of files read";

  private final EventSink sink;

  public CaptureListener(EventSink sink) {
    this.sink = sink;
  }

  @Override
  public void onApplicationStart(SparkListenerApplicationStart e) {
    try {
      sink.accept(
          new CaptureEvent.AppStarted(
              e.appId().isDefined() ? e.appId().get() : null,
              e.appAttemptId().isDefined() ? e.appAttemptId().get() : "",
              e.appName(),
              e.sparkUser(),
              e.time()));
    } catch (RuntimeException ex) {
      sink.failed("onApplicationStart", ex);
    }
  }

  @Override
  public void onApplicationEnd(SparkListenerApplicationEnd e) {
    try {
      Integer exit = e.exitCode().isDefined() ? (Integer) e.exitCode().get() : null;
      sink.accept(new CaptureEvent.AppEnded(e.time(), exit));
    } catch (RuntimeException ex) {
      sink.failed("onApplicationEnd", ex);
    }
  }

  @Override
  public void onEnvironmentUpdate(SparkListenerEnvironmentUpdate e) {
    try {
      Map<String, String> spark = section(e, "Spark Properties");
      Map<String, String> system = section(e, "System Properties");
      sink.accept(new CaptureEvent.EnvironmentSeen(spark, system));
    } catch (RuntimeException ex) {
      sink.failed("onEnvironmentUpdate", ex);
    }
  }

  private static Map<String, String> section(SparkListenerEnvironmentUpdate e, String name) {
    Map<String, String> out = new HashMap<>();
    scala.Option<scala.collection.Seq<Tuple2<String, String>>> s = e.environmentDetails().get(name);
    if (s.isDefined()) {
      for (Tuple2<String, String> kv : CollectionConverters.asJava(s.get())) {
        out.put(kv._1(), kv._2());
      }
    }
    return out;
  }

  @Override
  public void onResourceProfileAdded(SparkListenerResourceProfileAdded e) {
    try {
      Map<String, ExecutorResourceRequest> res =
          CollectionConverters.asJava(e.resourceProfile().executorResources());
      ExecutorResourceRequest cores = res.get("cores");
      ExecutorResourceRequest memory = res.get("memory");
      ExecutorResourceRequest gpu = res.get("gpu");
      sink.accept(
          new CaptureEvent.ProfileAdded(
              e.resourceProfile().id(),
              cores == null ? null : (int) cores.amount(),
              memory == null ? null : memory.amount() * 1024L * 1024L,
              gpu == null ? null : (double) gpu.amount()));
    } catch (RuntimeException ex) {
      sink.failed("onResourceProfileAdded", ex);
    }
  }

  @Override
  public void onJobStart(SparkListenerJobStart e) {
    try {
      List<StageShape> stages = new ArrayList<>();
      for (StageInfo info : CollectionConverters.asJava(e.stageInfos())) {
        stages.add(shape(info));
      }
      Properties p = e.properties();
      sink.accept(
          new CaptureEvent.JobStarted(
              e.jobId(),
              e.time(),
              stages,
              parseLong(prop(p, SQL_EXECUTION_ID)),
              prop(p, JOB_GROUP),
              isInternal(p),
              prop(p, JobKeys.DATABRICKS_JOB_ID)));
    } catch (RuntimeException ex) {
      sink.failed("onJobStart", ex);
    }
  }

  @Override
  public void onJobEnd(SparkListenerJobEnd e) {
    try {
      JobResult r = e.jobResult();
      boolean ok = r == JobSucceeded$.MODULE$;
      String failure = null;
      if (r instanceof JobFailed f && f.exception() != null) {
        failure = String.valueOf(f.exception().getMessage());
      }
      sink.accept(new CaptureEvent.JobEnded(e.jobId(), e.time(), ok, failure));
    } catch (RuntimeException ex) {
      sink.failed("onJobEnd", ex);
    }
  }

  @Override
  public void onStageSubmitted(SparkListenerStageSubmitted e) {
    try {
      StageInfo info = e.stageInfo();
      sink.accept(
          new CaptureEvent.StageSubmitted(
              shape(info),
              isInternal(e.properties()),
              info.submissionTime().isDefined() ? (Long) info.submissionTime().get() : null));
    } catch (RuntimeException ex) {
      sink.failed("onStageSubmitted", ex);
    }
  }

  @Override
  public void onStageCompleted(SparkListenerStageCompleted e) {
    try {
      StageInfo info = e.stageInfo();
      Map<String, Long> internal = new HashMap<>();
      long[] ids = new long[info.accumulables().size()];
      int i = 0;
      for (Map.Entry<Object, org.apache.spark.scheduler.AccumulableInfo> a :
          CollectionConverters.asJava(info.accumulables()).entrySet()) {
        ids[i++] = (Long) a.getKey();
        org.apache.spark.scheduler.AccumulableInfo acc = a.getValue();
        if (acc.name().isDefined()
            && acc.name().get().startsWith(INTERNAL_METRICS)
            && acc.value().isDefined()) {
          Long v = asLong(acc.value().get());
          if (v != null) {
            internal.put(acc.name().get().substring(INTERNAL_METRICS.length()), v);
          }
        }
      }
      StageTotals totals = StageTotals.fromInternalMetrics(internal);
      sink.accept(
          new CaptureEvent.StageCompleted(
              shape(info),
              info.submissionTime().isDefined() ? (Long) info.submissionTime().get() : null,
              info.completionTime().isDefined() ? (Long) info.completionTime().get() : null,
              info.failureReason().isDefined() ? info.failureReason().get() : null,
              totals,
              info.resourceProfileId(),
              ids));
    } catch (RuntimeException ex) {
      sink.failed("onStageCompleted", ex);
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd e) {
    try {
      TaskInfo info = e.taskInfo();
      TaskMetrics m = e.taskMetrics();
      sink.accept(
          new CaptureEvent.TaskEnded(
              e.stageId(),
              e.stageAttemptId(),
              info.successful(),
              info.killed(),
              info.finished() ? info.duration() : 0L,
              m == null ? 0L : m.peakExecutionMemory(),
              peaks(e.taskExecutorMetrics())));
    } catch (RuntimeException ex) {
      sink.failed("onTaskEnd", ex);
    }
  }

  @Override
  public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate e) {
    try {
      for (Map.Entry<Tuple2<Object, Object>, ExecutorMetrics> u :
          CollectionConverters.asJava(e.executorUpdates()).entrySet()) {
        sink.accept(
            new ExecutorPeaks(
                e.execId(),
                (Integer) u.getKey()._1(),
                (Integer) u.getKey()._2(),
                peaks(u.getValue())));
      }
    } catch (RuntimeException ex) {
      sink.failed("onExecutorMetricsUpdate", ex);
    }
  }

  @Override
  public void onStageExecutorMetrics(SparkListenerStageExecutorMetrics e) {
    try {
      sink.accept(
          new ExecutorPeaks(
              e.execId(), e.stageId(), e.stageAttemptId(), peaks(e.executorMetrics())));
    } catch (RuntimeException ex) {
      sink.failed("onStageExecutorMetrics", ex);
    }
  }

  @Override
  public void onExecutorAdded(SparkListenerExecutorAdded e) {
    try {
      Double gpus = null;
      var res = CollectionConverters.asJava(e.executorInfo().resourcesInfo());
      if (res.containsKey("gpu")) {
        gpus = (double) res.get("gpu").addresses().length;
      }
      sink.accept(
          new CaptureEvent.ExecutorAdded(
              e.executorId(),
              e.time(),
              e.executorInfo().executorHost(),
              e.executorInfo().totalCores(),
              e.executorInfo().resourceProfileId(),
              gpus));
    } catch (RuntimeException ex) {
      sink.failed("onExecutorAdded", ex);
    }
  }

  @Override
  public void onExecutorRemoved(SparkListenerExecutorRemoved e) {
    try {
      sink.accept(new CaptureEvent.ExecutorRemoved(e.executorId(), e.time(), e.reason()));
    } catch (RuntimeException ex) {
      sink.failed("onExecutorRemoved", ex);
    }
  }

  @Override
  public void onOtherEvent(SparkListenerEvent e) {
    try {
      if (e instanceof SparkListenerSQLExecutionStart s) {
        sink.accept(new CaptureEvent.SqlPlan(s.executionId(), plan(s.sparkPlanInfo())));
      } else if (e instanceof SparkListenerSQLAdaptiveExecutionUpdate u) {
        sink.accept(new CaptureEvent.SqlPlan(u.executionId(), plan(u.sparkPlanInfo())));
      } else if (e instanceof SparkListenerDriverAccumUpdates d) {
        Map<Long, Long> values = new HashMap<>();
        for (Tuple2<Object, Object> u : CollectionConverters.asJava(d.accumUpdates())) {
          Long id = asLong(u._1());
          Long value = asLong(u._2());
          if (id != null && value != null) {
            values.put(id, value);
          }
        }
        if (!values.isEmpty()) {
          sink.accept(new CaptureEvent.DriverMetrics(d.executionId(), values));
        }
      } else if (e instanceof SparkListenerSQLExecutionEnd end) {
        sink.accept(new CaptureEvent.SqlExecutionEnded(end.executionId()));
      } else if (e instanceof SparkListenerLogStart log) {
        sink.accept(new CaptureEvent.VersionSeen(log.sparkVersion()));
      }
    } catch (RuntimeException | LinkageError ex) {
      sink.failed("onOtherEvent", ex);
    }
  }

  static StageShape shape(StageInfo info) {
    List<RddOp> rdds = new ArrayList<>();
    for (org.apache.spark.storage.RDDInfo r : CollectionConverters.asJava(info.rddInfos())) {
      rdds.add(new RddOp(r.id(), r.scope().isDefined() ? r.scope().get().name() : null, r.name()));
    }
    List<Integer> parents = new ArrayList<>();
    for (Object p : CollectionConverters.asJava(info.parentIds())) {
      parents.add((Integer) p);
    }
    return new StageShape(
        info.stageId(), info.attemptNumber(), info.name(), info.numTasks(), parents, rdds);
  }

  static Peaks peaks(ExecutorMetrics m) {
    if (m == null) {
      return Peaks.NONE;
    }
    return new Peaks(
        m.getMetricValue("JVMHeapMemory"),
        m.getMetricValue("JVMOffHeapMemory"),
        m.getMetricValue("ProcessTreeJVMRSSMemory"),
        m.getMetricValue("OnHeapExecutionMemory") + m.getMetricValue("OffHeapExecutionMemory"),
        m.getMetricValue("OnHeapUnifiedMemory") + m.getMetricValue("OffHeapUnifiedMemory"),
        0);
  }

  static PlanNode plan(SparkPlanInfo info) {
    List<Long> metricIds = new ArrayList<>();
    Long filesRead = null;
    for (SQLMetricInfo mi : CollectionConverters.asJava(info.metrics())) {
      metricIds.add(mi.accumulatorId());
      if (FILES_READ_METRIC.equals(mi.name())) {
        filesRead = mi.accumulatorId();
      }
    }
    Map<String, String> metadata = new HashMap<>();
    Map<String, String> md = CollectionConverters.asJava(info.metadata());
    for (String key : List.of("Format", "ReadSchema", "Location")) {
      String v = md.get(key);
      if (v != null) {
        // Location keeps only the index class (e.g. TahoeLogFileIndex), never paths.
        metadata.put(key, key.equals("Location") ? firstToken(v) : v);
      }
    }
    List<PlanNode> children = new ArrayList<>();
    for (SparkPlanInfo c : CollectionConverters.asJava(info.children())) {
      children.add(plan(c));
    }
    return new PlanNode(
        info.nodeName(),
        metricIds,
        metadata,
        PlanAnalysis.udfCalls(info.simpleString()),
        children,
        filesRead);
  }

  private static String firstToken(String s) {
    int end = 0;
    while (end < s.length() && Character.isLetterOrDigit(s.charAt(end))) {
      end++;
    }
    return s.substring(0, end);
  }

  private static String prop(Properties p, String key) {
    return p == null ? null : p.getProperty(key);
  }

  private static boolean isInternal(Properties p) {
    return "true".equals(prop(p, INTERNAL_PROPERTY));
  }

  /** Accumulator values are Longs live and may be Longs or strings after JSON replay. */
  private static Long asLong(Object v) {
    if (v instanceof Number n) {
      return n.longValue();
    }
    return v instanceof String str ? parseLong(str) : null;
  }

  private static Long parseLong(String s) {
    if (s == null) {
      return null;
    }
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
