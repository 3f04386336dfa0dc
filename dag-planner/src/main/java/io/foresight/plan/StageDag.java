package io.foresight.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stage DAG of a physical plan (AQE on or off): one stage per fragment ({@link StageKeys}),
 * with the operators it runs and the stages it waits for. A stage that appears more than once (a
 * reused exchange, a self-join of the same fragment) is one node.
 */
public record StageDag(List<Stage> stages) {
  /**
   * One stage.
   *
   * @param key the stage signature ({@link StageKeys} recipe v2)
   * @param operators the normalised names of the operators it runs, pre-order, plumbing left out
   * @param parents keys of the stages whose output it reads
   */
  public record Stage(
      String key, StageKeys.Kind kind, List<String> operators, List<String> parents) {
    public boolean has(String operator) {
      return operators.contains(operator);
    }
  }

  public static StageDag of(PlanTree root) {
    List<StageKeys.Fragment> fragments = StageKeys.fragments(root);
    Map<PlanTree, String> keyOfRoot = new java.util.IdentityHashMap<>();
    fragments.forEach(f -> keyOfRoot.put(f.root(), f.key()));
    Map<String, Stage> byKey = new LinkedHashMap<>();
    for (StageKeys.Fragment f : fragments) {
      if (byKey.containsKey(f.key())) {
        continue;
      }
      List<String> ops = new ArrayList<>();
      for (PlanTree n : f.nodes()) {
        String folded =
            n == f.root() && f.kind() != StageKeys.Kind.RESULT ? null : StageKeys.fold(n.name());
        if (folded != null) {
          ops.add(folded);
        }
      }
      List<String> parents = new ArrayList<>();
      for (PlanTree c : f.childRoots()) {
        String k = keyOfRoot.get(c); // every child root is a fragment of the same pass
        if (!parents.contains(k)) {
          parents.add(k);
        }
      }
      byKey.put(f.key(), new Stage(f.key(), f.kind(), List.copyOf(ops), List.copyOf(parents)));
    }
    return new StageDag(List.copyOf(byKey.values()));
  }

  public Stage stage(String key) {
    for (Stage s : stages) {
      if (s.key().equals(key)) {
        return s;
      }
    }
    return null;
  }
}
