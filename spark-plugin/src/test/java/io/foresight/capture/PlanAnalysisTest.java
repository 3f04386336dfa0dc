package io.foresight.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.foresight.capture.CaptureEvent.PlanNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlanAnalysisTest {
  private static PlanNode node(String name, List<Long> metrics, PlanNode... children) {
    return new PlanNode(name, metrics, Map.of(), 0, List.of(children));
  }

  private static PlanNode scan(String name, long metric, String schema, String location) {
    return new PlanNode(
        name, List.of(metric), Map.of("ReadSchema", schema, "Location", location), 0, List.of());
  }

  /** Map stage: scan + partial aggregate + exchange write; reduce stage: final agg + window. */
  private static final PlanNode PLAN =
      node(
          "Window",
          List.of(1L),
          node(
              "Sort",
              List.of(2L),
              node(
                  "HashAggregate",
                  List.of(3L),
                  node(
                      "Exchange",
                      List.of(4L, 5L),
                      node(
                          "WholeStageCodegen (1)",
                          List.of(6L),
                          node(
                              "HashAggregate",
                              List.of(7L),
                              node(
                                  "BroadcastHashJoin",
                                  List.of(8L),
                                  scan(
                                      "Scan parquet ",
                                      9L,
                                      "struct<a:int,b:struct<c:array<int>>>",
                                      "InMemoryFileIndex"),
                                  node(
                                      "BroadcastExchange",
                                      List.of(10L),
                                      scan(
                                          "Scan csv ",
                                          11L,
                                          "struct<x:int>",
                                          "InMemoryFileIndex")))))))));

  @Test
  void mapStageSeesItsOwnOperators() {
    PlanAnalysis.Characteristics c = PlanAnalysis.analyse(PLAN, Set.of(4L, 6L, 9L), Map.of());
    assertEquals(1, c.joins());
    assertEquals(1, c.aggregates());
    assertEquals(0, c.windows());
    assertEquals(2, c.exchanges(), "writes the shuffle; reads the broadcast");
    assertEquals(List.of("parquet"), c.formats());
    assertEquals(3, c.schemaDepth());
    assertEquals(
        List.of(
            "Scan parquet", "BroadcastExchange", "BroadcastHashJoin", "HashAggregate", "Exchange"),
        c.operators(),
        "inputs first, the code-generation wrapper left out, the broadcast's build side not in it");
  }

  @Test
  void reduceStageStopsAtTheExchange() {
    PlanAnalysis.Characteristics c = PlanAnalysis.analyse(PLAN, Set.of(1L, 5L), Map.of());
    assertEquals(0, c.joins());
    assertEquals(1, c.aggregates(), "the final aggregate, not the partial one");
    assertEquals(1, c.windows());
    assertEquals(1, c.sorts());
    assertEquals(1, c.exchanges());
    assertEquals(List.of(), c.formats());
    assertEquals(List.of("Exchange", "HashAggregate", "Sort", "Window"), c.operators());
  }

  /** Under adaptive execution the stage reads a query stage, whose wrappers are not operators. */
  @Test
  void adaptiveQueryStageWrappersAreNotOperators() {
    PlanNode plan =
        node(
            "AdaptiveSparkPlan",
            List.of(),
            node(
                "WholeStageCodegen (2)",
                List.of(1L),
                node(
                    "HashAggregate",
                    List.of(2L),
                    node(
                        "InputAdapter",
                        List.of(),
                        node(
                            "AQEShuffleRead",
                            List.of(3L),
                            node(
                                "ShuffleQueryStage",
                                List.of(),
                                node(
                                    "Exchange",
                                    List.of(4L, 5L),
                                    scan("Scan orc ", 6L, "struct<a:int>", "x"))))))));
    PlanAnalysis.Characteristics reduce = PlanAnalysis.analyse(plan, Set.of(1L, 2L, 5L), Map.of());
    assertEquals(List.of("Exchange", "AQEShuffleRead", "HashAggregate"), reduce.operators());
    PlanAnalysis.Characteristics map = PlanAnalysis.analyse(plan, Set.of(4L, 6L), Map.of());
    assertEquals(List.of("Scan orc", "Exchange"), map.operators());
  }

  @Test
  void rddStagesListTheirOperationsInTheOrderTheRddsWereMade() {
    List<CaptureEvent.RddOp> rdds =
        List.of(
            new CaptureEvent.RddOp(3, "map", "MapPartitionsRDD"),
            new CaptureEvent.RddOp(1, "textFile", "MapPartitionsRDD"),
            new CaptureEvent.RddOp(0, "textFile", "/data/in.txt"),
            new CaptureEvent.RddOp(2, "flatMap", "MapPartitionsRDD"),
            new CaptureEvent.RddOp(4, null, "ParallelCollectionRDD"),
            new CaptureEvent.RddOp(5, "map", "MapPartitionsRDD"));
    assertEquals(List.of("textFile", "flatMap", "map"), PlanAnalysis.rddOperators(rdds));
    List<CaptureEvent.RddOp> fromAPlan =
        List.of(
            new CaptureEvent.RddOp(7, "Scan text ", "FileScanRDD"),
            new CaptureEvent.RddOp(8, "WholeStageCodegen (1)", "MapPartitionsRDD"),
            new CaptureEvent.RddOp(9, "ForesightProfile", "MapPartitionsRDD"),
            new CaptureEvent.RddOp(10, "Exchange", "MapPartitionsRDD"));
    assertEquals(List.of("Scan text", "Exchange"), PlanAnalysis.rddOperators(fromAPlan));
    assertEquals(List.of(), PlanAnalysis.rddOperators(List.of()));
  }

  @Test
  void deltaJdbcAndInMemoryScansAreNamed() {
    assertEquals(
        "delta",
        PlanAnalysis.format(scan("Scan parquet ", 1, "struct<a:int>", "TahoeLogFileIndex")));
    assertEquals(
        "jdbc",
        PlanAnalysis.format(node("Scan JDBCRelation(sales) [numPartitions=1] ", List.of())));
    assertEquals("in-memory", PlanAnalysis.format(node("LocalTableScan", List.of())));
    assertEquals("in-memory", PlanAnalysis.format(node("InMemoryTableScan", List.of())));
    assertEquals("range", PlanAnalysis.format(node("Range", List.of())));
    assertEquals(null, PlanAnalysis.format(node("Project", List.of())));
  }

  @Test
  void udfCallsAreCounted() {
    assertEquals(2, PlanAnalysis.udfCalls("Project [UDF(a#1) AS x#3, UDF(b#2) AS y#4]"));
    assertEquals(0, PlanAnalysis.udfCalls("Project [a#1]"));
  }

  @Test
  void signatureSkeletonIgnoresJoinStrategyAndPlumbing() {
    PlanNode broadcast =
        node(
            "BroadcastHashJoin",
            List.of(),
            scan("Scan parquet ", 1, "struct<a:int>", "x"),
            node("BroadcastExchange", List.of(), scan("Scan csv ", 2, "struct<b:int>", "y")));
    PlanNode shuffled =
        node(
            "SortMergeJoin",
            List.of(),
            node(
                "Sort",
                List.of(),
                node("Exchange", List.of(), scan("Scan parquet ", 3, "struct<a:int>", "x"))),
            node(
                "Sort",
                List.of(),
                node("Exchange", List.of(), scan("Scan csv ", 4, "struct<b:int>", "y"))));
    assertEquals(StageSignatures.skeleton(broadcast), StageSignatures.skeleton(shuffled));
    PlanNode otherColumns =
        node("BroadcastHashJoin", List.of(), scan("Scan parquet ", 1, "struct<z:int>", "x"));
    assertNotEquals(StageSignatures.skeleton(broadcast), StageSignatures.skeleton(otherColumns));
  }

  @Test
  void normalisationRemovesRunSpecificText() {
    assertEquals(
        "/data/#-#-#/part-#-#.csv",
        StageSignatures.normalise(
            "/data/2026-11-22/part-00000-3f2a9c1e-7b4d-4e8f-9a0b-1c2d3e4f5a6b.csv"));
    assertEquals("WholeStageCodegen (#)", StageSignatures.normalise("WholeStageCodegen (12)"));
    assertEquals("count at Job.java:42", StageSignatures.callSite("count at Job.java:42"));
  }
}
