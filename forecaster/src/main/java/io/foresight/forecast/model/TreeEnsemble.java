package io.foresight.forecast.model;

import java.util.List;

/**
 * A gradient-boosted tree ensemble exported from MLlib's {@code GBTRegressionModel}. The prediction
 * is the weighted sum of the trees' predictions, computed with the same BLAS {@code ddot} that
 * MLlib uses, so that it equals {@code model.predict} bit for bit (DESIGN-NOTES §6).
 */
public record TreeEnsemble(List<Tree> trees, double[] weights) {
  public TreeEnsemble {
    if (trees.isEmpty() || trees.size() != weights.length) {
      throw new IllegalArgumentException(
          "A tree ensemble needs one weight per tree, got "
              + trees.size()
              + " trees and "
              + weights.length
              + " weights");
    }
  }

  public double predict(double[] x) {
    int n = trees.size();
    double[] each = new double[n];
    for (int i = 0; i < n; i++) {
      each[i] = trees.get(i).predict(x);
    }
    return MllibDot.dot(n, each, weights);
  }

  public int maxFeature() {
    int max = -1;
    for (Tree t : trees) {
      max = Math.max(max, t.maxFeature());
    }
    return max;
  }
}
