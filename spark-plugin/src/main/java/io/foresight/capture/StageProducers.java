package io.foresight.capture;

import io.foresight.capture.CaptureEvent.RddOp;
import io.foresight.capture.CaptureEvent.StageShape;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which stages wrote the shuffle data a stage reads, and which built the broadcasts it reads.
 *
 * <p>Spark names a stage's parents by stage id. When an earlier job already wrote a parent's
 * shuffle, the parent is a new stage that is skipped: it never runs and gets no row. With adaptive
 * query execution (Spark's default) every exchange runs as a job of its own, so the stage after an
 * exchange has only skipped parents, and parent ids alone leave the stage DAG without edges. A
 * skipped parent is a stage over the same shuffle dependency as the stage that ran for it, so it
 * has the same RDDs; it is matched by them. That works the same live and in an imported log, which
 * records a stage's RDDs but not its shuffle id. When several stages that ran had the same RDDs
 * (the shuffle was written again after its output was lost, or one RDD was shuffled twice), the
 * latest is taken.
 *
 * <p>A broadcast (or a subquery's result) is built by a job of its own, collected by the driver and
 * sent to the stages that read it: Spark's stage DAG has no edge for it. For SQL stages, the plan
 * fragment a stage ran names the broadcast fragments it reads ({@code StageKeys}), and the latest
 * stage that completed with such a fragment's signature is taken as its builder.
 *
 * <p>Not thread-safe: one writer thread owns an instance. Remembers at most {@link Bounded#STAGES}
 * stages of each kind.
 */
final class StageProducers {

  /** The {@link #rddKey} of each stage a job listed, whether it ran or not. */
  private final Map<Integer, Long> rddsOfStage = Bounded.map(Bounded.STAGES);

  /** The latest stage that ran, by its {@link #rddKey}. */
  private final Map<Long, Integer> ranByRdds = Bounded.map(Bounded.STAGES);

  /** Stages submitted to run. */
  private final Set<Integer> ran = Bounded.set(Bounded.STAGES);

  /** The latest stage that completed with each signature. */
  private final Map<String, Integer> lastBySignature = Bounded.map(Bounded.STAGES);

  /** The most stages any of its maps remembers. */
  int remembered() {
    return Math.max(
        Math.max(rddsOfStage.size(), ranByRdds.size()),
        Math.max(ran.size(), lastBySignature.size()));
  }

  /** A job listed this stage: it may run, or be skipped. */
  void listed(StageShape s) {
    Long key = rddKey(s);
    if (key != null) {
      rddsOfStage.putIfAbsent(s.stageId(), key);
    }
  }

  /** This stage was submitted to run. */
  void submitted(StageShape s) {
    ran.add(s.stageId());
    Long key = rddKey(s);
    if (key != null) {
      rddsOfStage.putIfAbsent(s.stageId(), key);
      putNewest(ranByRdds, key, s.stageId());
    }
  }

  /** This stage completed with this signature (null: none). */
  void completed(StageShape s, String signature) {
    if (signature != null) {
      putNewest(lastBySignature, signature, s.stageId());
    }
  }

  /**
   * {@code producers} and the latest stages that completed with the signatures in {@code builtBy}:
   * the stages that built the broadcasts and subquery results a SQL stage reads, which Spark's
   * stage DAG does not link (each is a job of its own, read by the driver).
   */
  List<Integer> withBuilds(List<Integer> producers, List<String> builtBy, int stageId) {
    Set<Integer> out = new LinkedHashSet<>(producers);
    for (String signature : builtBy) {
      Integer id = lastBySignature.get(signature);
      if (id != null && id != stageId) {
        out.add(id);
      }
    }
    return new ArrayList<>(out);
  }

  /**
   * The stages that wrote what {@code s} reads: each parent that ran, or for a parent that did not,
   * the stage that ran with the same RDDs; a parent matching none is kept. In parent order, without
   * repeats.
   */
  List<Integer> producers(StageShape s) {
    Set<Integer> out = new LinkedHashSet<>();
    for (int p : s.parentIds()) {
      Integer producer = null;
      if (ran.contains(p)) {
        producer = p;
      } else {
        Long key = rddsOfStage.get(p);
        producer = key == null ? null : ranByRdds.get(key);
      }
      out.add(producer == null || producer == s.stageId() ? p : producer);
    }
    return new ArrayList<>(out);
  }

  /**
   * A 64-bit hash of the stage's RDD ids, in id order (a stage has a few to a few dozen; the hash
   * keeps the memory per stage small); null when it has none.
   */
  static Long rddKey(StageShape s) {
    if (s.rdds().isEmpty()) {
      return null;
    }
    int[] ids = s.rdds().stream().mapToInt(RddOp::rddId).sorted().toArray();
    long h = 0x9E3779B97F4A7C15L ^ ids.length;
    for (int id : ids) {
      h = mix(h + id);
    }
    return h;
  }

  /** SplitMix64's finaliser. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Maps {@code key} to {@code value} as the newest entry, so that it is evicted last. */
  private static <K, V> void putNewest(Map<K, V> map, K key, V value) {
    map.remove(key);
    map.put(key, value);
  }
}
