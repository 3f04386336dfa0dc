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

  @Test
  void aSkippedParentIsTheStageThatRanWithItsRdds() {
    StageProducers p = new StageProducers();
    StageShape map = stage(0, List.of(), 1, 2);
    p.listed(map);
    p.submitted(map);
    // the next job lists a new stage over the same shuffle (skipped) and the stage reading it
    StageShape skipped = stage(1, List.of(), 2, 1);
    StageShape reduce = stage(2, List.of(1), 3, 4);
    p.listed(skipped);
    p.listed(reduce);
    p.submitted(reduce);
    assertEquals(List.of(0), p.producers(reduce));
  }

  @Test
  void aParentThatRanIsItsOwnProducer() {
    StageProducers p = new StageProducers();
    StageShape a = stage(0, List.of(), 1);
    StageShape b = stage(1, List.of(), 2);
    StageShape join = stage(2, List.of(0, 1), 3);
    for (StageShape s : List.of(a, b, join)) {
      p.listed(s);
    }
    for (StageShape s : List.of(a, b, join)) {
      p.submitted(s);
    }
    assertEquals(List.of(0, 1), p.producers(join));
  }

  @Test
  void theLatestStageThatRanWithTheRddsWins() {
    StageProducers p = new StageProducers();
    StageShape first = stage(0, List.of(), 1);
    p.listed(first);
    p.submitted(first);
    // its output was lost and a later job wrote the shuffle again, as a new stage
    StageShape again = stage(3, List.of(), 1);
    p.listed(again);
    p.submitted(again);
    StageShape skipped = stage(5, List.of(), 1);
    StageShape reduce = stage(6, List.of(5), 7);
    p.listed(skipped);
    p.listed(reduce);
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
    StageShape bare = stage(7, List.of(), new int[0]);
    StageShape child = stage(8, List.of(7), 10);
    p.listed(bare);
    p.listed(child);
    p.submitted(child);
    assertEquals(List.of(7), p.producers(child));
  }

  @Test
  void twoSkippedParentsOfOneShuffleGiveOneProducer() {
    StageProducers p = new StageProducers();
    StageShape map = stage(0, List.of(), 1);
    p.listed(map);
    p.submitted(map);
    StageShape s1 = stage(1, List.of(), 1);
    StageShape s2 = stage(2, List.of(), 1);
    StageShape reduce = stage(3, List.of(1, 2), 4);
    for (StageShape s : List.of(s1, s2, reduce)) {
      p.listed(s);
    }
    p.submitted(reduce);
    assertEquals(List.of(0), p.producers(reduce));
  }
}
