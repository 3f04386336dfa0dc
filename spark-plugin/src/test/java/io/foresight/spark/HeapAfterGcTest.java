package io.foresight.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.Gauge;
import com.sun.management.GarbageCollectionNotificationInfo;
import io.foresight.history.HistoryViews;
import io.foresight.testing.LocalSpark;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.metrics.source.Source;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The plugin's executor side reports the heap a garbage collection left while a stage ran: here
 * each of two concurrent tasks holds 64 MiB across a collection it asks for.
 */
class HeapAfterGcTest {
  private static final int HELD = 64 << 20;

  @TempDir Path root;

  @Test
  void aStageGetsTheHeapItsCollectionsLeft() throws Exception {
    Row row = runAndRead("on", true);
    assertTrue(!row.isNullAt(0), "no heap after a collection: " + row);
    long after = row.getLong(0);
    assertTrue(after >= HELD, "a collection left at least one held block: " + after);
    assertTrue(after <= Runtime.getRuntime().maxMemory(), "within the heap: " + after);
  }

  @Test
  void itCanBeTurnedOff() throws Exception {
    Row row = runAndRead("off", false);
    assertTrue(row.isNullAt(0), row.toString());
  }

  /**
   * Asks for a collection and waits until the collectors' notifications of it have been delivered.
   * They come on the JVM's notification thread, to the listeners in the order they were added, so
   * the plugin's (added at the executor's start) has seen the collection when this one has. The
   * plugin waits for them only briefly at the task's end, so as not to slow the task; on a loaded
   * machine the notification can come later than that, and the test would see no collection.
   */
  static void collectAndAwaitNotification() throws InterruptedException {
    Map<String, Long> seen = new ConcurrentHashMap<>();
    NotificationListener listener =
        (n, handback) -> {
          if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
              n.getType())) {
            GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
            seen.merge(info.getGcName(), info.getGcInfo().getId(), Math::max);
          }
        };
    List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
    for (GarbageCollectorMXBean gc : collectors) {
      ((NotificationEmitter) gc).addNotificationListener(listener, null, null);
    }
    try {
      Map<String, Long> before = new HashMap<>();
      collectors.forEach(gc -> before.put(gc.getName(), gc.getCollectionCount()));
      System.gc();
      long deadline = System.nanoTime() + 60_000_000_000L;
      for (GarbageCollectorMXBean gc : collectors) {
        long count = gc.getCollectionCount();
        while (count > before.get(gc.getName())
            && seen.getOrDefault(gc.getName(), 0L) < count
            && System.nanoTime() < deadline) {
          Thread.sleep(5);
        }
      }
    } finally {
      for (GarbageCollectorMXBean gc : collectors) {
        try {
          ((NotificationEmitter) gc).removeNotificationListener(listener);
        } catch (ListenerNotFoundException ignored) {
          // not added
        }
      }
    }
  }

  /**
   * Whether the metric of late notifications is registered: in local mode the driver side reports
   * the local executor's, and the executor registers nothing (Spark would name its source without
   * an application, with a warning).
   */
  private static boolean executorMetricRegistered() {
    List<Source> sources =
        CollectionConverters.asJava(
            SparkEnv.get()
                .metricsSystem()
                .getSourcesByName("plugin." + ForesightPlugin.class.getName()));
    assertEquals(1, sources.size(), "the driver side's source only: " + sources);
    for (Source src : sources) {
      Gauge<?> g =
          src.metricRegistry().getGauges().get(ForesightExecutorPlugin.NOTIFICATION_TIMEOUTS);
      if (g != null && g.getValue() instanceof Long n && n >= 0) {
        return true;
      }
    }
    return false;
  }

  /** Runs the stage with sampling on or off; its stage row's heap after collection. */
  private Row runAndRead(String name, boolean sample) throws Exception {
    String history = root.resolve(name).resolve("history").toString();
    SparkSession spark =
        LocalSpark.start(
            root.resolve(name).resolve("spark"),
            Map.of(
                "spark.plugins", ForesightPlugin.class.getName(),
                "spark.foresight.history.path", history,
                "spark.foresight.spool.dir", root.resolve(name).resolve("spool").toString(),
                "spark.foresight.capture.heapAfterGc", String.valueOf(sample)));
    try {
      List<Long> out =
          spark
              .range(0, 2, 1, 2)
              .mapPartitions(
                  (MapPartitionsFunction<Long, Long>)
                      it -> {
                        byte[] block = new byte[HELD];
                        block[HELD - 1] = 1;
                        collectAndAwaitNotification();
                        List<Long> rows = new ArrayList<>();
                        it.forEachRemaining(rows::add);
                        rows.add((long) block[HELD - 1]); // the block is live across the collection
                        return rows.iterator();
                      },
                  Encoders.LONG())
              .collectAsList();
      assertEquals(4, out.size());
      assertEquals(sample, executorMetricRegistered(), "the executor's timeouts metric");
    } finally {
      spark.stop();
    }
    SparkSession reader = LocalSpark.start(root.resolve(name).resolve("reader"), Map.of());
    try {
      HistoryViews.register(reader, history);
      List<Row> rows =
          reader
              .sql("SELECT executor_peak_heap_after_gc_bytes FROM foresight.stages")
              .collectAsList();
      assertEquals(1, rows.size(), rows.toString());
      return rows.get(0);
    } finally {
      reader.stop();
    }
  }
}
