package io.foresight.importer;

/**
 * What importing one log did.
 *
 * @param status {@code imported}, {@code incomplete} (no application end, or cut short) or {@code
 *     refused}
 * @param reason why refused or incomplete; null when imported cleanly
 * @param malformedLines lines that were not valid events, skipped
 * @param firstMalformed "part:line" of the first of them, or null
 */
public record ImportResult(
    String path,
    String appId,
    String status,
    String reason,
    int jobs,
    int stages,
    long tasks,
    int executors,
    long malformedLines,
    String firstMalformed,
    long unknownEvents,
    long bytesRead) {

  public boolean imported() {
    return !status.equals("refused");
  }

  static ImportResult refused(String path, String reason) {
    return new ImportResult(path, null, "refused", reason, 0, 0, 0, 0, 0, null, 0, 0);
  }
}
