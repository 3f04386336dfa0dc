package io.foresight.forecast.model;

import dev.ludovic.netlib.blas.JavaBLAS;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The dot product MLlib's models use ({@code JavaBLAS.ddot}), so that exported models predict bit
 * for bit as MLlib does (DESIGN-NOTES §6). Its summation order depends on the vector width the JVM
 * picks, so it cannot be replaced by a plain loop.
 *
 * <p>Loading that BLAS costs 50–100 ms in a cold JVM, most of it initialising the Vector API.
 * {@link #warmUpInBackground} lets the forecaster do it on a daemon thread while it parses the
 * model file, instead of inside the first prediction.
 */
public final class MllibDot {
  private static final AtomicBoolean WARMING = new AtomicBoolean();

  private MllibDot() {}

  static double dot(int n, double[] x, double[] y) {
    return JavaBLAS.getInstance().ddot(n, x, 1, y, 1);
  }

  /**
   * Loads the BLAS on a daemon thread, once per JVM. Nothing is lost if it fails: the first
   * prediction then loads it and meets the same error it always would.
   */
  public static void warmUpInBackground() {
    if (!WARMING.compareAndSet(false, true)) {
      return;
    }
    Thread t =
        new Thread(
            () -> {
              try {
                JavaBLAS.getInstance();
              } catch (Throwable ignored) {
                // The caller's own first use reports it.
              }
            },
            "foresight-blas-warm-up");
    t.setDaemon(true);
    t.start();
  }
}
