package io.foresight.spark;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Whether the notifications of the collections the garbage collectors counted have come, for a
 * task's end to wait for them briefly. Per collector it keeps the number of the last collection
 * notified. A collector whose count stays ahead of its notifications for a whole wait is skipped,
 * so that tasks do not pay the wait at every end, until its notifications catch up with its count
 * again: on a loaded executor a notification can come late once, and giving up on the collector for
 * good would lose the heap of every later collection that falls at a task's end. Each wait that
 * gave up is counted.
 */
final class CollectorWatch {
  private final Map<String, LongSupplier> counts = new ConcurrentHashMap<>();
  private final Map<String, Long> notified = new ConcurrentHashMap<>();
  private final Set<String> skipped = ConcurrentHashMap.newKeySet();
  private final AtomicLong timeouts = new AtomicLong();

  /** Watches collector {@code name}, whose collections so far {@code count} gives. */
  void watch(String name, LongSupplier count) {
    notified.put(name, count.getAsLong());
    counts.put(name, count);
  }

  /** Collection {@code id} of collector {@code name} has been notified. */
  void notified(String name, long id) {
    long last = notified.merge(name, id, Math::max);
    LongSupplier count = counts.get(name);
    if (count != null && last >= count.getAsLong()) {
      skipped.remove(name);
    }
  }

  /**
   * Waits until every collector not skipped has notified every collection it counted, at most
   * {@code waitNanos} in all. A collector still behind at the end is skipped from then on, until
   * its notifications catch up.
   *
   * @return the collectors given up on in this wait
   */
  int await(long waitNanos) {
    long deadline = System.nanoTime() + waitNanos;
    int gaveUp = 0;
    for (Map.Entry<String, LongSupplier> e : counts.entrySet()) {
      String name = e.getKey();
      while (!skipped.contains(name)
          && e.getValue().getAsLong() > notified.getOrDefault(name, Long.MAX_VALUE)) {
        if (System.nanoTime() >= deadline) {
          skipped.add(name);
          timeouts.incrementAndGet();
          gaveUp++;
          break;
        }
        LockSupport.parkNanos(100_000L);
      }
    }
    return gaveUp;
  }

  /** The waits that gave up on a collector since the start. */
  long timeouts() {
    return timeouts.get();
  }

  boolean skipped(String name) {
    return skipped.contains(name);
  }
}
