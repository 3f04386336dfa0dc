package io.foresight.capture;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Insertion-ordered maps and sets that forget their oldest entries past a capacity. The capture's
 * memory of past stages and jobs (which job a stage belongs to, its signature, which stage wrote a
 * shuffle) is kept in them, so that it stays bounded however long the application runs: a streaming
 * query or a notebook session runs stages for days.
 */
final class Bounded {
  /** How many stages the capture remembers: far more than any one job lists. */
  static final int STAGES = 20_000;

  /**
   * How many jobs and stage attempts in flight the capture remembers: more than any application
   * runs at once. More are only there when their end events were dropped (Spark's listener queue,
   * or the capture's own, was full), and the oldest are then forgotten.
   */
  static final int IN_FLIGHT = 10_000;

  /**
   * How many SQL executions' plans in flight the capture remembers (a plan can be large); past it,
   * the oldest plan is forgotten, and a stage of its execution completing later is named by its
   * RDDs (recipe v1).
   */
  static final int PLANS = 500;

  private Bounded() {}

  static <K, V> Map<K, V> map(int capacity) {
    return new LinkedHashMap<>(256, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > capacity;
      }
    };
  }

  static <E> Set<E> set(int capacity) {
    return Collections.newSetFromMap(map(capacity));
  }
}
