package io.foresight.capture;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/** Logs the first failure of each kind as a warning and later ones at debug level. */
public final class WarnOnce {
  private final Logger log;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();

  public WarnOnce(Logger log) {
    this.log = log;
  }

  public void warn(String kind, String message, Throwable error) {
    if (seen.add(kind)) {
      log.warn(
          "Foresight: {} ({}). The application is not affected; further such failures are"
              + " logged at debug level.",
          message,
          error == null ? "" : error.toString());
    } else if (log.isDebugEnabled()) {
      log.debug("Foresight: " + message, error);
    }
  }
}
