package io.foresight.importer;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Import progress on stderr: a bar (bytes read, files done) redrawn in place on a terminal; one
 * plain line per finished log otherwise, so logs and CI output stay readable.
 */
final class ImportProgress {
  private final PrintStream out;
  private final boolean terminal;
  private final int files;
  private final long totalBytes;
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicInteger done = new AtomicInteger();
  private volatile long lastDraw;

  ImportProgress(PrintStream out, boolean terminal, int files, long totalBytes) {
    this.out = out;
    this.terminal = terminal;
    this.files = files;
    this.totalBytes = Math.max(1, totalBytes);
  }

  void advance(long n) {
    bytes.addAndGet(n);
    if (terminal) {
      long now = System.currentTimeMillis();
      if (now - lastDraw > 200) {
        lastDraw = now;
        draw();
      }
    }
  }

  synchronized void done(ImportResult r) {
    int n = done.incrementAndGet();
    if (terminal) {
      draw();
    } else {
      out.printf(
          Locale.ROOT,
          "import %d/%d %s: %s%s%n",
          n,
          files,
          r.path(),
          r.status(),
          r.imported()
              ? String.format(
                  Locale.ROOT,
                  " (%s, %d jobs, %d stages, %d tasks, %d executors)",
                  r.appId(),
                  r.jobs(),
                  r.stages(),
                  r.tasks(),
                  r.executors())
              : " - " + r.reason());
    }
  }

  private synchronized void draw() {
    int width = 30;
    double f = Math.min(1.0, (double) bytes.get() / totalBytes);
    int filled = (int) (f * width);
    out.printf(
        Locale.ROOT,
        "\r[%s%s] %3.0f%%  %.1f/%.1f MB  %d/%d logs",
        "#".repeat(filled),
        " ".repeat(width - filled),
        f * 100,
        bytes.get() / 1e6,
        totalBytes / 1e6,
        done.get(),
        files);
    out.flush();
  }

  void finish() {
    if (terminal) {
      draw();
      out.println();
    }
  }
}
