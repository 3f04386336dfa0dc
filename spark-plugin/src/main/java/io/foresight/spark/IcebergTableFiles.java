package io.foresight.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.SeekableByteArrayInput;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
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
    Snapshot snap = currentSnapshot(fs, table, metadataNames);
    if (snap == null) {
      return new Current(0, 0, -1); // a table with no snapshot yet reads nothing
    }
    JsonNode summary = snap.node().path("summary");
    long bytes = total(summary, "total-files-size", snap.file(), snap.id());
    long files =
        total(summary, "total-data-files", snap.file(), snap.id())
            + (summary.has("total-delete-files")
                ? total(summary, "total-delete-files", snap.file(), snap.id())
                : 0);
    return new Current(bytes, files, snap.id());
  }

  /**
   * The current snapshot's files whose paths {@code selected} accepts (a URI path, as {@link
   * Path#toUri()} gives it), from its manifests: for folders inside the table, which the snapshot
   * summary does not break down. Manifests are Avro files (Iceberg table spec, "Manifests"); an
   * entry of status 2 is a file the snapshot deleted. Data files and delete files count when their
   * own path is selected; a deletion vector (format v3), whose Puffin file lies outside the
   * partition folders and may hold the vectors of many data files, counts its blob's size when the
   * live data file it applies to is selected: what Iceberg's scan planning adds to that file's
   * task.
   *
   * @throws IOException naming the file and what it lacks when the table cannot be sized this way
   */
  static Current currentSelected(
      FileSystem fs, Path table, Collection<String> metadataNames, Predicate<String> selected)
      throws IOException {
    Snapshot snap = currentSnapshot(fs, table, metadataNames);
    if (snap == null) {
      return new Current(0, 0, -1);
    }
    List<String> manifests = new ArrayList<>();
    JsonNode list = snap.node().get("manifest-list");
    if (list != null && list.isTextual()) {
      for (GenericRecord m : avro(fs, list.asText())) {
        manifests.add(text(m, "manifest_path", list.asText()));
      }
    } else if (snap.node().path("manifests").isArray()) {
      snap.node().path("manifests").forEach(m -> manifests.add(m.asText())); // format v1
    } else {
      throw new IOException(
          "snapshot " + snap.id() + " in " + snap.file() + " names no manifest list or manifests");
    }
    // Data files and delete files by their own path; a deletion vector (format v3: a blob in a
    // Puffin file that may hold those of many data files, anywhere in the table) with the data
    // file it applies to, at its blob's size, as Iceberg counts it in the snapshot summary.
    Set<String> selectedData = new HashSet<>();
    List<DeletionVector> vectors = new ArrayList<>();
    long bytes = 0;
    long files = 0;
    for (String manifest : manifests) {
      for (GenericRecord entry : avro(fs, manifest)) {
        Object status = field(entry, "status");
        if (!(status instanceof Integer st)
            || !(field(entry, "data_file") instanceof GenericRecord f)) {
          throw new IOException(
              "manifest " + manifest + " has an entry without status or data_file");
        }
        if (st == 2) {
          continue; // deleted by this snapshot
        }
        String path = new Path(text(f, "file_path", manifest)).toUri().getPath();
        if (field(f, "content_offset") != null) {
          if (!(field(f, "content_size_in_bytes") instanceof Long blob)
              || field(f, "referenced_data_file") == null) {
            throw new IOException(
                "manifest "
                    + manifest
                    + " has a deletion vector without its content_size_in_bytes or"
                    + " referenced_data_file: "
                    + path);
          }
          vectors.add(
              new DeletionVector(
                  new Path(text(f, "referenced_data_file", manifest)).toUri().getPath(), blob));
          continue;
        }
        if (selected.test(path)) {
          Object size = field(f, "file_size_in_bytes");
          if (!(size instanceof Long n)) {
            throw new IOException("manifest " + manifest + " has a file without its size: " + path);
          }
          bytes += n;
          files++;
          if (!(field(f, "content") instanceof Integer c) || c == 0) {
            selectedData.add(path);
          }
        }
      }
    }
    for (DeletionVector v : vectors) {
      if (selectedData.contains(v.dataFile())) {
        bytes += v.bytes(); // a vector of a data file no longer live is not read
        files++;
      }
    }
    return new Current(bytes, files, snap.id());
  }

  /** A deletion vector: the data file it applies to and the size of its blob. */
  private record DeletionVector(String dataFile, long bytes) {}

  /** A table's current snapshot, as its metadata file describes it. */
  private record Snapshot(JsonNode node, long id, Path file) {}

  /** The current snapshot; null when the table has none yet. */
  private static Snapshot currentSnapshot(
      FileSystem fs, Path table, Collection<String> metadataNames) throws IOException {
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
      return null;
    }
    long id = currentId.asLong();
    for (JsonNode snapshot : root.path("snapshots")) {
      if (snapshot.path("snapshot-id").asLong() == id) {
        return new Snapshot(snapshot, id, file);
      }
    }
    throw new IOException(
        "the Iceberg metadata file " + file + " has no snapshot " + id + ", its current one");
  }

  /** The records of the Avro file at {@code location} (a manifest list or a manifest). */
  private static List<GenericRecord> avro(FileSystem tableFs, String location) throws IOException {
    Path p = new Path(location);
    FileSystem fs = p.toUri().getScheme() == null ? tableFs : p.getFileSystem(tableFs.getConf());
    byte[] bytes;
    try (FSDataInputStream in = fs.open(p)) {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new IOException("cannot read the Iceberg manifest " + location + ": " + e, e);
    }
    List<GenericRecord> out = new ArrayList<>();
    try (DataFileReader<GenericRecord> reader =
        new DataFileReader<>(new SeekableByteArrayInput(bytes), new GenericDatumReader<>())) {
      for (GenericRecord r : reader) {
        out.add(r);
      }
    } catch (IOException | RuntimeException e) {
      throw new IOException(
          "the Iceberg manifest " + location + " is not a readable Avro file: " + e, e);
    }
    return out;
  }

  /** The record's field, or null when its schema has none of that name. */
  private static Object field(GenericRecord r, String name) {
    return r.getSchema().getField(name) == null ? null : r.get(name);
  }

  private static String text(GenericRecord r, String field, String where) throws IOException {
    Object v = field(r, field);
    if (v == null) {
      throw new IOException(where + " has a record without " + field);
    }
    return v.toString(); // Avro strings are Utf8
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
