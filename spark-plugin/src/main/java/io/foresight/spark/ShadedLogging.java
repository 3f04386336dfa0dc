package io.foresight.spark;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * Keeps the libraries the bundle relocates under {@value #SHADED} (Delta Kernel) at WARN in the
 * application's log. Kernel logs about twenty INFO lines per commit of the history (snapshot loads,
 * checksums, checkpoints), which are Foresight's implementation detail, not the user's business.
 * Kernel's snapshot loader goes to ERROR: its one warning, "Cannot find a complete checkpoint", is
 * logged twice for each table of a new history while Foresight creates it (a table not yet there
 * has no checkpoint; Foresight checkpoints every table at creation). Left alone when the log
 * configuration names a logger under {@value #SHADED} (the user chose), when it is already at WARN
 * or quieter, when Kernel is not relocated (the plugin's plain jar: Kernel then is the
 * application's own) and when logging is not Log4j 2.
 */
final class ShadedLogging {
  static final String SHADED = "io.foresight.shaded";

  /** The relocated Kernel logger whose only warning is about a table Foresight is creating. */
  static final String SNAPSHOT_LOADER =
      SHADED + ".io.delta.kernel.internal.snapshot.SnapshotManager";

  private ShadedLogging() {}

  /** Quiets the bundle's relocated libraries; true when it changed the level. */
  static boolean quiet() {
    return quiet(io.delta.kernel.engine.Engine.class.getName());
  }

  /** As {@link #quiet()}, with {@code kernelClass} the name Kernel's classes have at run time. */
  static boolean quiet(String kernelClass) {
    if (!kernelClass.startsWith(SHADED + ".")) {
      return false;
    }
    try {
      if (!(LogManager.getContext(false) instanceof LoggerContext ctx)) {
        return false;
      }
      for (String name : ctx.getConfiguration().getLoggers().keySet()) {
        if (name.equals(SHADED) || name.startsWith(SHADED + ".")) {
          return false;
        }
      }
      if (ctx.getLogger(SHADED).getLevel().isMoreSpecificThan(Level.WARN)) {
        return false;
      }
      Configurator.setLevel(SHADED, Level.WARN);
      Configurator.setLevel(SNAPSHOT_LOADER, Level.ERROR);
      return true;
    } catch (LinkageError | RuntimeException e) {
      return false; // another logging back end, or none: nothing to quiet
    }
  }
}
