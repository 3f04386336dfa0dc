package io.foresight.capture;

/** Where the listener hands events: a bounded queue (live) or the aggregator itself (replay). */
public interface EventSink {
  /** Takes one event; must not block. */
  void accept(CaptureEvent event);

  /** Reports a failure inside Foresight's listener code; the event is lost, Spark is not. */
  void failed(String where, Throwable error);
}
