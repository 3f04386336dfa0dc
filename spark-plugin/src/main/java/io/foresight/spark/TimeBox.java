package io.foresight.spark;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Work the application's start waits for only so long (a listing, a model read from a file system
 * that may not answer): it runs on a daemon thread of its own, which is interrupted and left behind
 * when it is late, so it never holds the driver or its exit.
 */
final class TimeBox {
  private TimeBox() {}

  /**
   * {@code work}'s result, waited for at most {@code timeoutMs}.
   *
   * @throws TimeoutException when the work is late (it is then interrupted, its result dropped)
   * @throws ExecutionException with what the work threw
   * @throws InterruptedException when the waiting thread is interrupted (the work is too)
   */
  static <T> T call(String threadName, long timeoutMs, Callable<T> work)
      throws TimeoutException, ExecutionException, InterruptedException {
    FutureTask<T> task = new FutureTask<>(work);
    Thread t = new Thread(task, threadName);
    t.setDaemon(true);
    t.start();
    try {
      return task.get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (TimeoutException | InterruptedException e) {
      task.cancel(true);
      throw e;
    }
  }
}
