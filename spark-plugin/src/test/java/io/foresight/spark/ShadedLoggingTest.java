package io.foresight.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ShadedLoggingTest {
  private static final String RELOCATED = "io.foresight.shaded.io.delta.kernel.engine.Engine";
  private static final String KERNEL_LOGGER =
      "io.foresight.shaded.io.delta.kernel.internal.snapshot.SnapshotManager";

  private static LoggerContext ctx() {
    return (LoggerContext) LogManager.getContext(false);
  }

  private static final String COMMIT_LOGGER =
      "io.foresight.shaded.io.delta.kernel.internal.TransactionImpl";

  private static boolean infoShown() {
    return ctx().getLogger(KERNEL_LOGGER).isInfoEnabled();
  }

  @BeforeEach
  void foresightAtInfo() {
    // as in a Spark application's log: INFO for everything, Foresight included
    Configurator.setLevel("io.foresight", Level.INFO);
  }

  @AfterEach
  void restore() {
    for (String name :
        new String[] {
          "io.foresight", ShadedLogging.SHADED, ShadedLogging.SNAPSHOT_LOADER, KERNEL_LOGGER
        }) {
      ctx().getConfiguration().removeLogger(name);
    }
    ctx().updateLoggers();
  }

  @Test
  void theBundlesKernelIsQuietedToWarn() {
    assertTrue(infoShown());
    assertTrue(ShadedLogging.quiet(RELOCATED));
    assertFalse(infoShown());
    assertTrue(ctx().getLogger(COMMIT_LOGGER).isWarnEnabled(), "warnings still shown");
    assertFalse(
        ctx().getLogger(KERNEL_LOGGER).isWarnEnabled(),
        "no 'Cannot find a complete checkpoint' for a table being created");
    assertTrue(ctx().getLogger(KERNEL_LOGGER).isErrorEnabled());
    assertTrue(ctx().getLogger("io.foresight.spark.X").isInfoEnabled(), "Foresight's own lines");
    assertFalse(ShadedLogging.quiet(RELOCATED), "once is enough");
  }

  @Test
  void aKernelThatIsNotRelocatedIsTheApplicationsOwn() {
    Level before = ctx().getLogger("io.delta.kernel.X").getLevel();
    assertFalse(ShadedLogging.quiet("io.delta.kernel.engine.Engine"));
    assertTrue(infoShown());
    assertFalse(ctx().getConfiguration().getLoggers().containsKey(ShadedLogging.SHADED));
    assertEquals(before, ctx().getLogger("io.delta.kernel.X").getLevel());
  }

  @Test
  void aLevelTheUserChoseStays() {
    Configurator.setLevel(KERNEL_LOGGER, Level.DEBUG);
    assertFalse(ShadedLogging.quiet(RELOCATED));
    assertTrue(ctx().getLogger(KERNEL_LOGGER).isDebugEnabled());
  }
}
