package io.foresight.capture;

import io.foresight.history.HistoryRecord;
import io.foresight.history.HistoryStore;
import io.foresight.history.SpoolWriter;
import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer thread of a live capture. Spark's listener thread hands events to a bounded queue
 * ({@link #accept}, never blocks: a full queue drops and counts). This thread aggregates events
 * into rows, appends rows to the spool, and commits the spool to the history on job end (at most
 * every {@code commitMinGap}), every {@code flushInterval}, and at shutdown.
 *
 * <p>Every failure (spool, history, Foresight's own bugs) is logged once and counted in {@link
 * CaptureStats}; the application never sees it.
 */
public final class CaptureWriter implements EventSink {
  private static final Logger LOG = LoggerFactory.getLogger(CaptureWriter.class);
  private static final long POLL_MS = 200;
  private static final int MAX_BATCH = 10_000;

  /** Test hook: runs on the writer thread before each event; may throw. */
  static volatile Consumer<CaptureEvent> faultHook;

  /**
   * How the writer commits. Once everything spooled is committed and the spool file holds more than
   * {@code spoolRollBytes}, it starts a new spool file and deletes the old one, so that a long
   * application (a streaming query, a notebook session) does not grow its spool without end.
   */
  public record Policy(
      long flushIntervalMs,
      boolean flushOnJobEnd,
      long commitMinGapMs,
      int queueCapacity,
      long spoolRollBytes) {

    /** The spool file size past which a committed spool is replaced by a new one. */
    public static final long SPOOL_ROLL_BYTES = 8L << 20;

    public Policy(
        long flushIntervalMs, boolean flushOnJobEnd, long commitMinGapMs, int queueCapacity) {
      this(flushIntervalMs, flushOnJobEnd, commitMinGapMs, queueCapacity, SPOOL_ROLL_BYTES);
    }
  }

  private final HistoryStore store;
  private final Policy policy;
  private final CaptureStats stats;
  private final WarnOnce warn = new WarnOnce(LOG);
  private final BlockingQueue<CaptureEvent> queue;
  private final CountDownLatch appEndSeen = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean stopping;

  private SpoolWriter spool;
  private HistoryAggregator aggregator;
  private boolean commitFailed;
  private final RunFeedback feedback = new RunFeedback();

  private CaptureWriter(HistoryStore store, Policy policy, CaptureStats stats) {
    this.store = store;
    this.policy = policy;
    this.stats = stats;
    this.queue = new ArrayBlockingQueue<>(policy.queueCapacity());
    this.thread = new Thread(this::run, "foresight-history-writer");
    this.thread.setDaemon(true);
  }

  /** Starts the writer thread; the spool is opened and orphans recovered on that thread. */
  public static CaptureWriter start(HistoryStore store, Policy policy, CaptureStats stats) {
    CaptureWriter w = new CaptureWriter(store, policy, stats);
    w.thread.start();
    return w;
  }

  @Override
  public void accept(CaptureEvent event) {
    stats.eventsReceived.incrementAndGet();
    if (event instanceof CaptureEvent.AppEnded) {
      appEndSeen.countDown();
    }
    if (!queue.offer(event)) {
      stats.eventsDropped.incrementAndGet();
      warn.warn("queue-full", "capture queue full, events dropped", null);
    }
  }

  @Override
  public void failed(String where, Throwable error) {
    stats.errors.incrementAndGet();
    warn.warn("listener-" + where, "capture failed in " + where, error);
  }

  /**
   * Stops capture: waits for the application-end event (it may still sit in Spark's listener
   * queue), then for the last commit, for at most {@code timeoutMs} in all. Rows not committed by
   * then stay in the spool and are committed by the next start.
   */
  public void stop(long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    try {
      appEndSeen.await(Math.min(timeoutMs, 10_000), TimeUnit.MILLISECONDS);
      stopping = true;
      thread.join(Math.max(1, deadline - System.currentTimeMillis()));
      if (thread.isAlive()) {
        LOG.warn(
            "Foresight: the last history commit did not finish within {} ms; its rows stay in"
                + " the spool {} and are committed by the next start.",
            timeoutMs,
            store.spoolDir());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    try {
      CommitPass.recover(store, stats, warn);
      try {
        spool = store.newSpool();
      } catch (IOException | RuntimeException e) {
        warn.warn("spool", "cannot open the spool in " + store.spoolDir() + ", capture is off", e);
      }
      aggregator =
          new HistoryAggregator(
              this::spoolRow,
              "live-" + java.util.UUID.randomUUID(),
              "live",
              null,
              System::currentTimeMillis);
      loop();
      recordCpu();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      stats.errors.incrementAndGet();
      warn.warn("writer", "the history writer stopped", e);
    }
  }

  private void recordCpu() {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    if (mx.isCurrentThreadCpuTimeSupported()) {
      stats.writerCpuNanos.set(mx.getCurrentThreadCpuTime());
    }
  }

  private void loop() throws InterruptedException {
    long lastCommit = System.currentTimeMillis();
    boolean commitWanted = false;
    while (true) {
      CaptureEvent e = queue.poll(POLL_MS, TimeUnit.MILLISECONDS);
      int n = 0;
      while (e != null) {
        handle(e);
        if (e instanceof CaptureEvent.JobEnded && policy.flushOnJobEnd()) {
          commitWanted = true;
        }
        if (++n >= MAX_BATCH) {
          break;
        }
        e = queue.poll();
      }
      flushToOs();
      recordCpu();
      long now = System.currentTimeMillis();
      if (stopping && queue.isEmpty()) {
        finishAndCommit();
        return;
      }
      boolean pending = spool != null && (spool.unsealedRecords() > 0 || commitFailed);
      if (pending
          && ((commitWanted && now - lastCommit >= policy.commitMinGapMs())
              || now - lastCommit >= policy.flushIntervalMs())) {
        commit(true);
        lastCommit = System.currentTimeMillis();
        commitWanted = false;
      }
    }
  }

  private void handle(CaptureEvent e) {
    try {
      Consumer<CaptureEvent> hook = faultHook;
      if (hook != null) {
        hook.accept(e);
      }
      aggregator.accept(e);
    } catch (IOException | RuntimeException ex) {
      stats.errors.incrementAndGet();
      warn.warn("aggregate", "could not record a " + e.getClass().getSimpleName() + " event", ex);
    }
  }

  private void spoolRow(HistoryRecord record) throws IOException {
    feedback.observe(record);
    if (spool == null) {
      return;
    }
    spool.append(record);
    stats.rowsSpooled.incrementAndGet();
  }

  private void flushToOs() {
    if (spool == null) {
      return;
    }
    try {
      spool.flushToOs();
    } catch (IOException e) {
      warn.warn("spool-write", "cannot write the spool", e);
    }
  }

  /**
   * Seals and commits the spool; with {@code mayRoll}, replaces it when large ({@link
   * #rollIfLarge}) before the commit is counted, so that the counts say what is on disk.
   */
  private void commit(boolean mayRoll) {
    try {
      spool.seal();
      HistoryStore.CommitReport r = store.commitSealed(spool);
      commitFailed = false;
      if (mayRoll) {
        rollIfLarge();
      }
      stats.rowsCommitted.addAndGet(r.rows());
      stats.commits.incrementAndGet();
    } catch (IOException | RuntimeException e) {
      commitFailed = true;
      stats.commitFailures.incrementAndGet();
      warn.warn(
          "commit",
          "cannot commit to the history at " + store.location().root() + "; rows stay in the spool",
          e);
    }
  }

  /**
   * Replaces a large spool whose records are all committed by a new one. The new spool is opened
   * first: if that fails, the old one goes on. Never throws.
   */
  private void rollIfLarge() {
    try {
      if (commitFailed || spool.unsealedRecords() > 0 || spool.bytes() <= policy.spoolRollBytes()) {
        return;
      }
    } catch (IOException e) {
      return;
    }
    SpoolWriter next;
    try {
      next = store.newSpool();
    } catch (IOException | RuntimeException e) {
      warn.warn("spool-roll", "cannot start a new spool in " + store.spoolDir(), e);
      return;
    }
    SpoolWriter done = spool;
    spool = next;
    stats.spoolRolls.incrementAndGet();
    try {
      done.close();
      store.discard(done);
    } catch (IOException e) {
      warn.warn("spool-roll", "cannot delete the committed spool " + done.file(), e);
    }
  }

  private void finishAndCommit() {
    try {
      aggregator.finish();
    } catch (IOException | RuntimeException e) {
      warn.warn("finish", "could not record the application end", e);
    }
    if (spool == null) {
      return;
    }
    flushToOs();
    commit(false);
    try {
      spool.close();
      if (!commitFailed) {
        store.discard(spool);
      }
    } catch (IOException e) {
      warn.warn("spool-close", "cannot close the spool", e);
    }
    try {
      String done = feedback.apply(store.location().root(), store.hadoopConf());
      if (done != null) {
        LOG.info("Foresight folded this run into the forecast statistics ({})", done);
      }
    } catch (IOException | RuntimeException e) {
      warn.warn("feedback", "could not update the forecast statistics", e);
    }
  }
}
