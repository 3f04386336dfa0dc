package io.foresight.forecast;

import io.foresight.forecast.model.JobTemplate.ComponentNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The longest dependency chain of a component DAG: a lower bound of the job's stage time with
 * unlimited executors, and with each component's duration at a given slot count, the time the job
 * needs. Unknown parents are ignored; a cycle (which a stage DAG cannot have) is broken.
 */
public final class CriticalPath {
  private CriticalPath() {}

  public static double length(List<ComponentNode> dag, Map<String, Double> seconds) {
    return length(dag, n -> seconds.getOrDefault(n.signature(), 0.0));
  }

  public static double length(List<ComponentNode> dag, ToDoubleFunction<ComponentNode> seconds) {
    Map<String, ComponentNode> bySig = new HashMap<>();
    for (ComponentNode n : dag) {
      bySig.put(n.signature(), n);
    }
    Map<String, Double> finish = new HashMap<>();
    double longest = 0;
    for (ComponentNode n : dag) {
      longest = Math.max(longest, finish(n, bySig, seconds, finish, new java.util.HashSet<>()));
    }
    return longest;
  }

  private static double finish(
      ComponentNode n,
      Map<String, ComponentNode> bySig,
      ToDoubleFunction<ComponentNode> seconds,
      Map<String, Double> memo,
      java.util.Set<String> visiting) {
    Double known = memo.get(n.signature());
    if (known != null) {
      return known;
    }
    visiting.add(n.signature());
    double start = 0;
    for (String p : n.parents()) {
      ComponentNode parent = bySig.get(p);
      if (parent != null && !visiting.contains(p)) {
        start = Math.max(start, finish(parent, bySig, seconds, memo, visiting));
      }
    }
    visiting.remove(n.signature());
    double end = start + Math.max(0, seconds.applyAsDouble(n));
    memo.put(n.signature(), end);
    return end;
  }
}
