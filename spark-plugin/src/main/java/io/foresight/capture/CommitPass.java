package io.foresight.capture;

import io.foresight.history.HistoryStore;
import java.io.IOException;

/** Recovery of spools left by killed sessions, run once when a capture session starts. */
final class CommitPass {
  private CommitPass() {}

  static void recover(HistoryStore store, CaptureStats stats, WarnOnce warn) {
    try {
      HistoryStore.CommitReport r = store.recoverOrphans();
      stats.rowsRecovered.addAndGet(r.rows());
    } catch (IOException | RuntimeException e) {
      stats.commitFailures.incrementAndGet();
      warn.warn("recover", "cannot commit rows left in the spool by an earlier run", e);
    }
  }
}
