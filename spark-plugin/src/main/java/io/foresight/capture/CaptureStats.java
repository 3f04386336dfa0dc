package io.foresight.capture;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of one capture session, exported as Spark plugin metrics ({@code
 * plugin.io.foresight.spark.ForesightPlugin.*}). Every degraded path counts here.
 */
public final class CaptureStats {
  final AtomicLong eventsReceived = new AtomicLong();
  final AtomicLong eventsDropped = new AtomicLong();
  final AtomicLong rowsSpooled = new AtomicLong();
  final AtomicLong rowsCommitted = new AtomicLong();
  final AtomicLong rowsRecovered = new AtomicLong();
  final AtomicLong commits = new AtomicLong();
  final AtomicLong commitFailures = new AtomicLong();
  final AtomicLong spoolRolls = new AtomicLong();
  final AtomicLong errors = new AtomicLong();
  final AtomicLong writerCpuNanos = new AtomicLong();

  public long eventsReceived() {
    return eventsReceived.get();
  }

  /** Events lost because the queue was full. */
  public long eventsDropped() {
    return eventsDropped.get();
  }

  public long rowsSpooled() {
    return rowsSpooled.get();
  }

  public long rowsCommitted() {
    return rowsCommitted.get();
  }

  /** Rows of earlier, killed sessions committed by this one. */
  public long rowsRecovered() {
    return rowsRecovered.get();
  }

  public long commits() {
    return commits.get();
  }

  public long commitFailures() {
    return commitFailures.get();
  }

  /** Times a committed spool file was replaced by a new one (a long application). */
  public long spoolRolls() {
    return spoolRolls.get();
  }

  /** Failures inside Foresight's own code, caught and logged. */
  public long errors() {
    return errors.get();
  }

  /** CPU time used by Foresight's writer thread (aggregation, spool, commits). */
  public long writerCpuMillis() {
    return writerCpuNanos.get() / 1_000_000L;
  }

  public void countError() {
    errors.incrementAndGet();
  }

  @Override
  public String toString() {
    return String.format(
        "received=%d dropped=%d spooled=%d committed=%d recovered=%d commits=%d"
            + " commitFailures=%d spoolRolls=%d errors=%d writerCpuMs=%d",
        eventsReceived(),
        eventsDropped(),
        rowsSpooled(),
        rowsCommitted(),
        rowsRecovered(),
        commits(),
        commitFailures(),
        spoolRolls(),
        errors(),
        writerCpuMillis());
  }
}
