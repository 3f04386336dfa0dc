package io.foresight.forecast.model;

/**
 * One regression tree in flat arrays. Node {@code i} is a leaf when {@code feature[i] < 0} (its
 * prediction is {@code value[i]}); otherwise go to {@code left[i]} when {@code x[feature[i]] <=
 * threshold[i]}, as MLlib's {@code ContinuousSplit} does, else to {@code right[i]}. Node 0 is the
 * root.
 */
public record Tree(int[] feature, double[] threshold, int[] left, int[] right, double[] value) {
  public Tree {
    int n = feature.length;
    if (n == 0
        || threshold.length != n
        || left.length != n
        || right.length != n
        || value.length != n) {
      throw new IllegalArgumentException("A tree needs equally long, non-empty node arrays");
    }
    for (int i = 0; i < n; i++) {
      if (feature[i] >= 0 && (left[i] <= i || right[i] <= i || left[i] >= n || right[i] >= n)) {
        throw new IllegalArgumentException("Tree node " + i + " has a child outside the tree");
      }
    }
  }

  public double predict(double[] x) {
    int i = 0;
    while (feature[i] >= 0) {
      i = x[feature[i]] <= threshold[i] ? left[i] : right[i];
    }
    return value[i];
  }

  /** The deepest feature index used, or -1 for a single leaf. */
  public int maxFeature() {
    int max = -1;
    for (int f : feature) {
      max = Math.max(max, f);
    }
    return max;
  }
}
