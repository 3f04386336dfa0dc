package io.foresight.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.foresight.capture.CaptureEvent.RddOp;
import io.foresight.capture.CaptureEvent.StageShape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The cases a real application does not reliably produce: see also LiveAndImportedRowsMatchTest.
 */
class StageProducersTest {
  private static StageShape stage(int id, List<Integer> parents, int... rddIds) {
    List<RddOp> rdds = new ArrayList<>();
    for (int r : rddIds) {
      rdds.add(new RddOp(r, "Exchange", "MapPartitionsRDD"));
    }
    return new StageShape(id, 0, "stage " + id, 2, parents, rdds);
  }

  /** A job's start lists these stages. */
  private static void job(StageProducers p, StageShape... stages) {
    for (StageShape s : stages) {
      p.listed(s);
    }
  }

  /** A job lists {@code s} and runs it. */
  private static void runs(StageProducers p, StageShape s) {
    p.listed(s);
    p.submitted(s);
  }

  @Test
  void aSkippedParentIsTheStageThatRanWithItsRdds() {
    StageProducers p = new StageProducers();
    runs(p, stage(0, List.of(), 1, 2));
    // the next job lists a new stage over the same shuffle (skipped) and the stage reading it
    StageShape reduce = stage(2, List.of(1), 3, 4);
    job(p, stage(1, List.of(), 2, 1), reduce);
    p.submitted(reduce);
    assertEquals(List.of(0), p.producers(reduce));
  }

  @Test
  void aParentThatRanIsItsOwnProducer() {
    StageProducers p = new StageProducers();
    StageShape a = stage(0, List.of(), 1);
    StageShape b = stage(1, List.of(), 2);
    StageShape join = stage(2, List.of(0, 1), 3);
    job(p, a, b, join);
    List.of(a, b, join).forEach(p::submitted);
    assertEquals(List.of(0, 1), p.producers(join));
  }

  @Test
  void theLatestStageThatRanWithTheRddsWins() {
    StageProducers p = new StageProducers();
    runs(p, stage(0, List.of(), 1));
    // its output was lost and a later job wrote the shuffle again, as a new stage
    runs(p, stage(3, List.of(), 1));
    StageShape reduce = stage(6, List.of(5), 7);
    job(p, stage(5, List.of(), 1), reduce);
    p.submitted(reduce);
    assertEquals(List.of(3), p.producers(reduce));
  }

  @Test
  void aParentMatchingNoStageThatRanIsKept() {
    StageProducers p = new StageProducers();
    // the job start that listed parent 4 is missing (a cut log): nothing is known of it
    StageShape orphan = stage(5, List.of(4), 9);
    p.submitted(orphan);
    assertEquals(List.of(4), p.producers(orphan));
    // a listed parent without RDDs (nothing to match by) is kept too
    StageShape child = stage(8, List.of(7), 10);
    job(p, stage(7, List.of(), new int[0]), child);
    p.submitted(child);
    assertEquals(List.of(7), p.producers(child));
  }

  @Test
  void twoSkippedParentsOfOneShuffleGiveOneProducer() {
    StageProducers p = new StageProducers();
    runs(p, stage(0, List.of(), 1));
    StageShape reduce = stage(3, List.of(1, 2), 4);
    job(p, stage(1, List.of(), 1), stage(2, List.of(), 1), reduce);
    p.submitted(reduce);
    assertEquals(List.of(0), p.producers(reduce));
  }

  @Test
  void aBroadcastIsBuiltByTheLatestStageWithItsSignature() {
    StageProducers p = new StageProducers();
    p.completed(stage(0, List.of(), 1), "dim");
    p.completed(stage(4, List.of(), 5), "dim"); // the query ran again: its newer build
    p.completed(stage(2, List.of(), 3), "other");
    StageShape join = stage(6, List.of(), 7);
    assertEquals(List.of(9, 4), p.withBuilds(List.of(9), List.of("dim", "unseen"), 6));
    p.completed(join, "join");
    // a stage is never its own builder
    assertEquals(List.of(), p.withBuilds(List.of(), List.of("join"), 6));
  }
}
