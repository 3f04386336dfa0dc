package io.foresight.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A task's end waits for late collection notifications, and gives up on a collector only for a
 * while.
 */
class CollectorWatchTest {
  private static final long LONG_WAIT = 60_000_000_000L;

  @Test
  void nothingToWaitForWhenEveryCollectionWasNotified() {
    AtomicLong count = new AtomicLong(5);
    CollectorWatch w = new CollectorWatch();
    w.watch("young", count::get);
    assertEquals(0, w.await(LONG_WAIT));
    count.set(6);
    w.notified("young", 6);
    assertEquals(0, w.await(LONG_WAIT));
    assertEquals(0, w.timeouts());
  }

  @Test
  void aNotificationThatComesDuringTheWaitEndsIt() throws Exception {
    AtomicLong count = new AtomicLong(3);
    CollectorWatch w = new CollectorWatch();
    w.watch("old", count::get);
    count.set(4); // a collection ran; its notification is on its way
    CountDownLatch waiting = new CountDownLatch(1);
    Thread notifier =
        new Thread(
            () -> {
              try {
                waiting.await();
                Thread.sleep(20);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              w.notified("old", 4);
            });
    notifier.start();
    waiting.countDown();
    assertEquals(0, w.await(LONG_WAIT), "the wait ended with the notification, not the deadline");
    notifier.join();
    assertEquals(0, w.timeouts());
  }

  /**
   * A notification later than the wait: the collector is skipped (the next end does not wait for
   * it, though its notification is still missing), and waited for again once its notifications have
   * caught up.
   */
  @Test
  void aLateNotificationSkipsTheCollectorOnlyUntilItCatchesUp() {
    AtomicLong young = new AtomicLong(10);
    AtomicLong old = new AtomicLong(2);
    CollectorWatch w = new CollectorWatch();
    w.watch("young", young::get);
    w.watch("old", old::get);
    young.set(11);
    assertEquals(1, w.await(1_000_000L));
    assertEquals(1, w.timeouts());
    assertTrue(w.skipped("young"));
    assertFalse(w.skipped("old"));
    // Skipped: this wait would otherwise run to its deadline and give up again.
    assertEquals(0, w.await(LONG_WAIT));
    assertEquals(1, w.timeouts());
    // The late notification comes: the collector is waited for again.
    w.notified("young", 11);
    assertFalse(w.skipped("young"));
    young.set(12);
    assertEquals(1, w.await(1_000_000L));
    assertEquals(2, w.timeouts());
    // A notification older than the count does not bring it back.
    young.set(14);
    w.notified("young", 13);
    assertTrue(w.skipped("young"));
    w.notified("young", 14);
    assertFalse(w.skipped("young"));
    assertEquals(0, w.await(LONG_WAIT));
  }
}
