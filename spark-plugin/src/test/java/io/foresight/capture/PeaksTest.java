package io.foresight.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.foresight.capture.CaptureEvent.Peaks;
import org.junit.jupiter.api.Test;

class PeaksTest {
  @Test
  void unifiedRegionIsNeverBelowTheExecutionMemoryItHolds() {
    // A poll that read 67 MB of execution memory, then 38 MB for the region after a task freed
    // its memory between the two reads.
    Peaks torn = new Peaks(500L << 20, 60L << 20, 0, 67_370_944, 37_948_282, 200L << 20);
    Peaks fixed = torn.withUnifiedAtLeastExecution();
    assertEquals(67_370_944, fixed.unified());
    assertEquals(67_370_944, fixed.execution());
    assertEquals(torn.jvmHeap(), fixed.jvmHeap());
    assertEquals(torn.jvmOffHeap(), fixed.jvmOffHeap());
    assertEquals(torn.heapAfterGc(), fixed.heapAfterGc());

    Peaks consistent = new Peaks(500L << 20, 0, 0, 10L << 20, 30L << 20, 0);
    assertSame(consistent, consistent.withUnifiedAtLeastExecution());
    assertEquals(0, Peaks.NONE.withUnifiedAtLeastExecution().unified());
  }
}
