package io.foresight.spark;

import com.codahale.metrics.Gauge;
import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.Serializable;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.apache.spark.TaskContext;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executor side of the plugin: the heap occupied right after each garbage collection, per running
 * stage. A heap peak is the top of the collector's sawtooth and grows with the heap the JVM is
 * given; what a collection leaves is closer to what the stage holds. The highest value while a
 * stage's tasks ran goes to the driver with the task's end, when it rose.
 *
 * <p>Never fails a task: the collector notifications run on the JVM's notification thread, the task
 * hooks only update maps, and any error is logged once and ends the sampling. The notification of a
 * collection comes shortly after it; a task that ends right after one waits for it, at most {@link
 * #NOTIFICATION_WAIT_NANOS}, so that the collection counts for its stage.
 */
final class ForesightExecutorPlugin implements ExecutorPlugin {
  private static final Logger LOG = LoggerFactory.getLogger(ForesightExecutorPlugin.class);

  /** The highest heap after a collection while stage {@code stageId} attempt ran here. */
  record HeapAfterGc(String executorId, int stageId, int stageAttemptId, long bytes)
      implements Serializable {}

  private record StageKey(int stageId, int attempt) {}

  private static final class Running {
    final AtomicInteger tasks = new AtomicInteger();
    final AtomicLong max = new AtomicLong();
    final AtomicLong sent = new AtomicLong();
  }

  /** The longest a task's end waits for the notification of a collection that already ran. */
  static final long NOTIFICATION_WAIT_NANOS = 50_000_000L;

  private final Map<StageKey, Running> running = new ConcurrentHashMap<>();

  /** The collectors listened to, and the last collection each one notified. */
  private final CollectorWatch collectors = new CollectorWatch();

  /** The metric that counts the waits that gave up on a collector's notification. */
  static final String NOTIFICATION_TIMEOUTS = "heapAfterGcNotificationTimeouts";

  /**
   * The executor id of local mode's one executor (Spark's {@code SparkContext.DRIVER_IDENTIFIER}).
   */
  private static final String LOCAL_EXECUTOR_ID = "driver";

  /**
   * The collectors the local-mode executor watches, for the driver side to report. Spark creates
   * the local executor before the application has an id and registers its plugin metrics then,
   * under no application (with a warning naming the plugin); it registers none of its own executor
   * metrics in local mode. So the local executor registers nothing, and the driver side, in the
   * same JVM, reports this watch's count.
   */
  private static final AtomicReference<CollectorWatch> LOCAL_WATCH = new AtomicReference<>();

  /** The notification waits the local-mode executor gave up on; 0 when none runs. */
  static long localNotificationTimeouts() {
    CollectorWatch w = LOCAL_WATCH.get();
    return w == null ? 0 : w.timeouts();
  }

  /**
   * The stage of the task running on this thread: a task starts and ends on one thread, and its
   * TaskContext is gone by the time the end hooks run.
   */
  private final ThreadLocal<StageKey> taskStage = new ThreadLocal<>();

  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final Set<String> heapPools = new HashSet<>();
  private final NotificationListener listener = this::onNotification;
  private PluginContext ctx;
  private volatile boolean failed;
  private volatile boolean warnedLate;

  @Override
  public void init(PluginContext ctx, Map<String, String> extraConf) {
    this.ctx = ctx;
    try {
      Map<String, String> conf = ForesightConf.asMap(ctx.conf());
      // The driver checked these values at its start; here a bad one only turns sampling off.
      if (!ForesightConf.ENABLED.readFrom(conf).orElse(true)
          || !ForesightConf.HEAP_AFTER_GC.readFrom(conf).orElse(true)) {
        failed = true; // off: nothing to sample
        return;
      }
      for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
        if (p.getType() == MemoryType.HEAP) {
          heapPools.add(p.getName());
        }
      }
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        if (gc instanceof NotificationEmitter e) {
          collectors.watch(gc.getName(), gc::getCollectionCount);
          e.addNotificationListener(listener, null, null);
          emitters.add(e);
        }
      }
      if (LOCAL_EXECUTOR_ID.equals(ctx.executorID())) {
        LOCAL_WATCH.set(collectors);
      } else {
        ctx.metricRegistry().register(NOTIFICATION_TIMEOUTS, (Gauge<Long>) collectors::timeouts);
      }
    } catch (RuntimeException | LinkageError e) {
      fail("init", e);
    }
  }

  @Override
  public void shutdown() {
    for (NotificationEmitter e : emitters) {
      try {
        e.removeNotificationListener(listener);
      } catch (ListenerNotFoundException | RuntimeException ignored) {
        // already gone
      }
    }
    emitters.clear();
    LOCAL_WATCH.compareAndSet(collectors, null);
  }

  @Override
  public void onTaskStart() {
    if (failed) {
      return;
    }
    TaskContext tc = TaskContext.get();
    if (tc != null) {
      StageKey k = new StageKey(tc.stageId(), tc.stageAttemptNumber());
      taskStage.set(k);
      running.computeIfAbsent(k, x -> new Running()).tasks.incrementAndGet();
    }
  }

  @Override
  public void onTaskSucceeded() {
    taskEnded();
  }

  @Override
  public void onTaskFailed(org.apache.spark.TaskFailedReason reason) {
    taskEnded();
  }

  private void taskEnded() {
    StageKey k = taskStage.get();
    taskStage.remove();
    if (k == null || failed) {
      return;
    }
    try {
      Running r = running.get(k);
      if (r == null) {
        return;
      }
      awaitNotifications();
      long max = r.max.get();
      long sent = r.sent.get();
      if (max > sent && r.sent.compareAndSet(sent, max)) {
        ctx.send(new HeapAfterGc(ctx.executorID(), k.stageId(), k.attempt(), max));
      }
      if (r.tasks.decrementAndGet() <= 0) {
        running.remove(k, r);
      }
    } catch (Exception | LinkageError e) {
      fail("task end", e);
    }
  }

  private void onNotification(Notification n, Object handback) {
    if (failed
        || !GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
      return;
    }
    try {
      GarbageCollectionNotificationInfo info =
          GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
      long after = 0;
      for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
        if (heapPools.contains(e.getKey())) {
          after += e.getValue().getUsed();
        }
      }
      for (Running r : running.values()) {
        r.max.accumulateAndGet(after, Math::max);
      }
      collectors.notified(info.getGcName(), info.getGcInfo().getId());
    } catch (RuntimeException e) {
      fail("collection notification", e);
    }
  }

  /**
   * Waits, briefly, until every collection the collectors counted has been notified. A collector
   * whose notifications stay behind for the whole wait is not waited for again until they catch up;
   * the first time, a warning says so, and the metric {@value #NOTIFICATION_TIMEOUTS} counts every
   * time.
   */
  private void awaitNotifications() {
    if (collectors.await(NOTIFICATION_WAIT_NANOS) > 0 && !warnedLate) {
      warnedLate = true;
      LOG.warn(
          "Foresight: a garbage collection's notification came later than {} ms after a task's"
              + " end; the heap it left may be missing from that stage, and tasks do not wait for"
              + " that collector until its notifications catch up (metric {})",
          NOTIFICATION_WAIT_NANOS / 1_000_000,
          NOTIFICATION_TIMEOUTS);
    }
  }

  private void fail(String where, Throwable e) {
    if (!failed) {
      failed = true;
      LOG.warn("Foresight: heap-after-collection sampling stopped ({}): {}", where, e.toString());
    }
  }
}
