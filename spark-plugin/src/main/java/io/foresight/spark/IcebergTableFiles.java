package io.foresight.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The size of an Iceberg table's current snapshot, read from its metadata file's snapshot summary
 * ({@code total-files-size}, {@code total-data-files}, {@code total-delete-files}): what a scan of
 * the table reads. Its folder also holds the files of older snapshots until they expire, and its
 * metadata, which listing the folder would count. No Iceberg library is needed: the metadata file
 * is JSON (Iceberg table spec, "Table Metadata").
 *
 * <p>The current metadata file is the one {@code metadata/version-hint.text} names (tables of
 * Iceberg's Hadoop catalog, {@code v<N>.metadata.json}), otherwise the highest-numbered one
 * (catalog tables, {@code <NNNNN>-<uuid>.metadata.json}): the catalog's pointer is not read, so a
 * metadata file written by a commit that has not finished yet may be taken as current.
 */
final class IcebergTableFiles {
  private IcebergTableFiles() {}

  static final String METADATA_DIR = "metadata";
  static final String VERSION_HINT = "version-hint.text";

  /** {@code v12.metadata.json}, {@code v12.gz.metadata.json}, {@code v12.metadata.json.gz}. */
  private static final Pattern HADOOP_NAME =
      Pattern.compile("v(\\d+)(\\.gz)?\\.metadata\\.json(\\.gz)?");

  /** {@code 00012-8c6f2d1e-….metadata.json}, also gzipped as above. */
  private static final Pattern CATALOG_NAME =
      Pattern.compile("(\\d+)-[^/]+?(\\.gz)?\\.metadata\\.json(\\.gz)?");

  /** The current snapshot's files: their total size and number (data and delete files). */
  record Current(long bytes, long files, long snapshotId) {}

  /** Whether {@code name}, a file in a {@code metadata} folder, marks an Iceberg table. */
  static boolean isMetadataName(String name) {
    return VERSION_HINT.equals(name)
        || HADOOP_NAME.matcher(name).matches()
        || CATALOG_NAME.matcher(name).matches();
  }

  /**
   * Reads the current snapshot of the table at {@code table}, whose {@code metadata} folder holds
   * {@code metadataNames}.
   *
   * @throws IOException naming the file and what it lacks when the table cannot be sized this way
   */
  static Current current(FileSystem fs, Path table, Collection<String> metadataNames)
      throws IOException {
    Path dir = new Path(table, METADATA_DIR);
    String name = null;
    if (metadataNames.contains(VERSION_HINT)) {
      name = hinted(fs, dir, metadataNames);
    }
    if (name == null) {
      name = highest(metadataNames);
    }
    if (name == null) {
      throw new IOException("no Iceberg metadata file (*.metadata.json) in " + dir);
    }
    Path file = new Path(dir, name);
    JsonNode root;
    try (FSDataInputStream raw = fs.open(file);
        InputStream in = name.contains(".gz") ? new GZIPInputStream(raw) : raw) {
      root = new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new IOException("cannot read the Iceberg metadata file " + file + ": " + e, e);
    }
    if (root == null || !root.isObject()) {
      throw new IOException("the Iceberg metadata file " + file + " is not a JSON object");
    }
    JsonNode currentId = root.get("current-snapshot-id");
    if (currentId == null || currentId.isNull() || currentId.asLong() == -1) {
      return new Current(0, 0, -1); // a table with no snapshot yet reads nothing
    }
    long id = currentId.asLong();
    for (JsonNode snapshot : root.path("snapshots")) {
      if (snapshot.path("snapshot-id").asLong() != id) {
        continue;
      }
      JsonNode summary = snapshot.path("summary");
      long bytes = total(summary, "total-files-size", file, id);
      long files =
          total(summary, "total-data-files", file, id)
              + (summary.has("total-delete-files")
                  ? total(summary, "total-delete-files", file, id)
                  : 0);
      return new Current(bytes, files, id);
    }
    throw new IOException(
        "the Iceberg metadata file " + file + " has no snapshot " + id + ", its current one");
  }

  private static long total(JsonNode summary, String key, Path file, long id) throws IOException {
    JsonNode v = summary.get(key);
    if (v != null) {
      try {
        long n = Long.parseLong(v.asText().trim());
        if (n >= 0) {
          return n;
        }
      } catch (NumberFormatException e) {
        // said below
      }
    }
    throw new IOException(
        "snapshot "
            + id
            + " in "
            + file
            + " has no "
            + key
            + " (a whole number) in its summary"
            + (v == null ? "" : ", found '" + v.asText() + "'"));
  }

  /** The file {@code version-hint.text} names, when it names one that is there. */
  private static String hinted(FileSystem fs, Path dir, Collection<String> names)
      throws IOException {
    String hint;
    try (FSDataInputStream in = fs.open(new Path(dir, VERSION_HINT))) {
      hint = new String(in.readNBytes(64), StandardCharsets.UTF_8).trim();
    }
    for (String n : names) {
      Matcher m = HADOOP_NAME.matcher(n);
      if (m.matches() && m.group(1).replaceFirst("^0+(?=.)", "").equals(hint)) {
        return n;
      }
    }
    return null;
  }

  /** The metadata file of the highest version among {@code names}; null when there is none. */
  static String highest(Collection<String> names) {
    String best = null;
    long bestVersion = -1;
    for (String n : names) {
      Matcher m = HADOOP_NAME.matcher(n);
      if (!m.matches()) {
        m = CATALOG_NAME.matcher(n);
        if (!m.matches()) {
          continue;
        }
      }
      long v;
      try {
        v = Long.parseLong(m.group(1));
      } catch (NumberFormatException e) {
        continue; // more digits than a version has
      }
      if (v > bestVersion || (v == bestVersion && n.compareTo(best) > 0)) {
        best = n;
        bestVersion = v;
      }
    }
    return best;
  }
}
