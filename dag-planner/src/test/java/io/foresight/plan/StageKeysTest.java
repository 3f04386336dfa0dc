package io.foresight.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StageKeysTest {
  record N(String name, Map<String, String> metadata, List<Long> metricIds, List<N> children)
      implements PlanTree {}

  static N n(String name, N... children) {
    return new N(name, Map.of(), List.of(), List.of(children));
  }

  static N m(String name, long metric, N... children) {
    return new N(name, Map.of(), List.of(metric), List.of(children));
  }

  static N scan(String schema, long metric) {
    return new N("Scan parquet ", Map.of("ReadSchema", schema), List.of(metric), List.of());
  }

  /** SELECT k, sum(v) FROM t JOIN u GROUP BY k, as a plan with two shuffles below a join. */
  static N joinPlan(String codegen, boolean gpu, boolean aqeWrappers) {
    String p = gpu ? "Gpu" : "";
    N left =
        n(
            p + "ShuffleExchange".replace("Shuffle", ""),
            n(codegen + " (1)", m(p + "Filter", 1, scan("struct<k:int,v:int>", 2))));
    N right = n("Exchange", n(codegen + " (2)", m(p + "Project", 3, scan("struct<k:int>", 4))));
    N l = aqeWrappers ? n("AQEShuffleRead", n("ShuffleQueryStage", left)) : left;
    N r = aqeWrappers ? n("AQEShuffleRead", n("ShuffleQueryStage", right)) : right;
    N join = m(p + "SortMergeJoin", 5, n("Sort", l), n("Sort", r));
    N top = m(p + "HashAggregate", 6, n(codegen + " (3)", join));
    return aqeWrappers ? n("AdaptiveSparkPlan", top) : top;
  }

  @Test
  void keysIgnorePlumbingCodegenIdsAqeWrappersAndGpuPrefix() {
    List<String> a = keys(joinPlan("WholeStageCodegen", false, false));
    List<String> b = keys(joinPlan("WholeStageCodegen", false, true));
    List<String> c = keys(joinPlan("WholeStageCodegen", true, false));
    assertEquals(3, a.size());
    assertEquals(a, b);
    assertEquals(a, c);
  }

  @Test
  void keysDifferWithWhatIsReadAndWhereTheStageSits() {
    N one = n("Exchange", m("Filter", 1, scan("struct<k:int>", 2)));
    N other = n("Exchange", m("Filter", 1, scan("struct<k:int,x:string>", 2)));
    assertNotEquals(StageKeys.keyOf(one), StageKeys.keyOf(other));
    // The same fragment under a different parent: the parent's key differs, the child's does not.
    N p1 = m("HashAggregate", 9, one);
    N p2 = m("Window", 9, one);
    assertNotEquals(StageKeys.keyOf(p1), StageKeys.keyOf(p2));
    assertEquals(StageKeys.fragments(p1).get(1).key(), StageKeys.fragments(p2).get(1).key());
  }

  @Test
  void dagHasParentsAndOperators() {
    StageDag dag = StageDag.of(joinPlan("WholeStageCodegen", false, true));
    assertEquals(3, dag.stages().size());
    StageDag.Stage result = dag.stages().get(0);
    assertEquals(StageKeys.Kind.RESULT, result.kind());
    assertEquals(2, result.parents().size());
    assertEquals(List.of("Aggregate", "Join"), result.operators());
    StageDag.Stage left = dag.stage(result.parents().get(0));
    assertEquals(StageKeys.Kind.SHUFFLE, left.kind());
    assertEquals(List.of("Filter", "Scan parquet"), left.operators());
    assertEquals(List.of(), left.parents());
  }

  @Test
  void aStageIsMatchedByTheMetricsItsTasksUpdated() {
    N plan = joinPlan("WholeStageCodegen", false, true);
    List<StageKeys.Fragment> f = StageKeys.fragments(plan);
    assertEquals(f.get(1).key(), StageKeys.keyOfStage(plan, Set.of(1L, 2L)));
    assertEquals(f.get(2).key(), StageKeys.keyOfStage(plan, Set.of(3L, 4L)));
    assertEquals(f.get(0).key(), StageKeys.keyOfStage(plan, Set.of(5L, 6L)));
    assertNull(StageKeys.keyOfStage(plan, Set.of(99L)));
  }

  @Test
  void reusedExchangeIsOneStage() {
    N shared = n("Exchange", m("Filter", 1, scan("struct<k:int>", 2)));
    N plan = m("SortMergeJoin", 3, shared, n("ReusedExchange", shared));
    StageDag dag = StageDag.of(plan);
    assertEquals(2, dag.stages().size());
    assertEquals(1, dag.stages().get(0).parents().size());
  }

  private static List<String> keys(N plan) {
    return StageKeys.fragments(plan).stream().map(StageKeys.Fragment::key).toList();
  }
}
