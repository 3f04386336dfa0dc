package io.foresight.importer;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.foresight.capture.CaptureEvent;
import io.foresight.capture.CaptureListener;
import io.foresight.capture.EventSink;
import io.foresight.capture.HistoryAggregator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.scheduler.ReplayListenerBus;
import org.apache.spark.scheduler.SparkListenerEvent;
import org.apache.spark.util.JsonProtocol;

/**
 * Replays one event log through the live capture code: each JSON line becomes a Spark listener
 * event (Spark's own {@code JsonProtocol}), which goes to the same {@link CaptureListener} and
 * {@link HistoryAggregator} as a running application's events. Streams: memory does not grow with
 * the size of the log.
 *
 * <p>Bad input never stops the replay: a malformed line is skipped and counted, an unknown event
 * class is ignored, a cut-off stream (truncated file or compressed frame) ends the log, which is
 * then marked incomplete.
 */
final class EventLogReplay {
  /** Events the history does not use; skipped before parsing, which is most of the cost. */
  private static final List<String> SKIPPED =
      List.of(
          "{\"Event\":\"SparkListenerTaskStart\"",
          "{\"Event\":\"SparkListenerBlockUpdated\"",
          "{\"Event\":\"SparkListenerBlockManagerAdded\"",
          "{\"Event\":\"SparkListenerBlockManagerRemoved\"",
          "{\"Event\":\"SparkListenerTaskGettingResult\"",
          "{\"Event\":\"SparkListenerUnpersistRDD\"",
          "{\"Event\":\"SparkListenerSpeculativeTaskSubmitted\"");

  private static final String DATABRICKS_HEADER = "{\"Event\":\"DBCEventLoggingListenerMetadata\"";

  private final LogSource source;
  private final HistoryAggregator aggregator;
  private final CaptureListener listener;
  private final ReplayListenerBus bus = new ReplayListenerBus();
  private final Consumer<Long> progress;
  private long malformed;
  private String firstMalformed;
  private long unknown;
  private long events;
  private long bytes;
  private String cutShort;

  EventLogReplay(
      LogSource source,
      String ingestId,
      HistoryAggregator.RecordSink sink,
      Consumer<Long> progress) {
    this.source = source;
    this.progress = progress;
    this.aggregator =
        new HistoryAggregator(sink, ingestId, "eventlog", source.path(), System::currentTimeMillis);
    this.aggregator.fallbackAppId(source.appIdHint());
    this.listener =
        new CaptureListener(
            new EventSink() {
              @Override
              public void accept(CaptureEvent event) {
                try {
                  aggregator.accept(event);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              }

              @Override
              public void failed(String where, Throwable error) {
                malformed("event not understood in " + where);
              }
            });
  }

  ImportResult run() throws IOException {
    for (LogSource.Part part : source.parts()) {
      boolean whole;
      try {
        whole = replayPart(part);
      } catch (UncheckedIOException e) {
        throw e.getCause();
      } catch (IOException e) {
        if (events == 0 && source.parts().size() == 1) {
          throw new LogUnreadableException("cannot read " + part.name() + ": " + e.getMessage());
        }
        cutShort = "cannot read " + part.name() + " (" + e.getMessage() + ")";
        whole = false;
      }
      if (!whole) {
        break; // a cut-off part: later parts would replay events out of order
      }
    }
    aggregator.finish();
    if (events == 0) {
      return ImportResult.refused(source.path(), "no Spark listener event could be read");
    }
    List<String> reasons = new java.util.ArrayList<>();
    if (!aggregator.appEnded()) {
      reasons.add("no application end event (still running, or the log was cut)");
    }
    if (cutShort != null) {
      reasons.add(cutShort);
    }
    String reason = reasons.isEmpty() ? null : String.join("; ", reasons);
    return new ImportResult(
        source.path(),
        aggregator.appId(),
        reason == null ? "imported" : "incomplete",
        reason,
        aggregator.jobCount(),
        aggregator.stageCount(),
        aggregator.taskCount(),
        aggregator.executorsSeen(),
        malformed,
        firstMalformed,
        unknown,
        bytes);
  }

  /** Replays one part; false when it was cut short. */
  private boolean replayPart(LogSource.Part part) throws IOException {
    try (InputStream raw = part.opener().open();
        CountingStream counted = new CountingStream(raw);
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(Codecs.decode(counted, part.codec()), StandardCharsets.UTF_8),
                1 << 16)) {
      long lineNo = 0;
      String line;
      String next;
      try {
        line = in.readLine();
        while (line != null) {
          lineNo++;
          next = in.readLine();
          handle(part.name(), lineNo, line, next == null);
          line = next;
          if ((lineNo & 0x3ff) == 0) {
            progress.accept(counted.take());
          }
        }
      } catch (UncheckedIOException e) {
        throw e.getCause(); // writing the history failed: not the log's fault
      } catch (IOException | RuntimeException e) {
        // A truncated compressed stream or file: keep what was read.
        cutShort = "cut short in " + part.name() + " after line " + lineNo + " (" + e + ")";
        return false;
      } finally {
        long n = counted.take();
        bytes += counted.total();
        progress.accept(n);
      }
    }
    return true;
  }

  private void handle(String partName, long lineNo, String line, boolean last) {
    if (line.isBlank()) {
      return;
    }
    for (String prefix : SKIPPED) {
      if (line.startsWith(prefix)) {
        events++;
        return;
      }
    }
    if (line.startsWith(DATABRICKS_HEADER)) {
      events++;
      aggregator.acceptQuietly(new CaptureEvent.VersionSeen(databricksVersion(line)));
      return;
    }
    SparkListenerEvent event;
    try {
      event = JsonProtocol.sparkEventFromJson(line);
    } catch (Exception e) { // Scala throws checked exceptions undeclared: test their types here
      if (e instanceof JsonProcessingException && last && !line.endsWith("}")) {
        cutShort = "the last line of " + partName + " is cut off";
      } else if (e instanceof ClassNotFoundException
          || e.getCause() instanceof ClassNotFoundException) {
        unknown++; // an event class this Spark does not know (vendor or newer Spark): ignored
      } else {
        malformed(partName + ":" + lineNo);
      }
      return;
    } catch (LinkageError e) {
      unknown++;
      return;
    }
    events++;
    try {
      bus.doPostEvent(listener, event);
    } catch (UncheckedIOException e) {
      throw e;
    } catch (RuntimeException e) {
      malformed(partName + ":" + lineNo);
    }
  }

  private void malformed(String where) {
    malformed++;
    if (firstMalformed == null) {
      firstMalformed = where;
    }
  }

  private static String databricksVersion(String line) {
    int i = line.indexOf("\"Spark Version\":\"");
    if (i < 0) {
      return null;
    }
    int start = i + "\"Spark Version\":\"".length();
    int end = line.indexOf('"', start);
    return end < 0 ? null : line.substring(start, end);
  }

  /** The log cannot be read at all (refused, not imported). */
  static final class LogUnreadableException extends IOException {
    private static final long serialVersionUID = 1L;

    LogUnreadableException(String message) {
      super(message);
    }
  }

  /** Counts raw bytes read, for progress and throughput. */
  private static final class CountingStream extends java.io.FilterInputStream {
    private long pending;
    private long total;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        pending++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        pending += n;
      }
      return n;
    }

    long take() {
      long n = pending;
      total += n;
      pending = 0;
      return n;
    }

    long total() {
      return total;
    }
  }
}
