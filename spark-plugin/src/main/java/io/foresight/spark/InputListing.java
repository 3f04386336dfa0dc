package io.foresight.spark;

import io.foresight.history.DeltaTableFiles;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * The size of a job's input paths, as listing them through Hadoop's {@code FileSystem} finds it:
 * what a run will read is known before it starts, so the forecast need not guess the volume.
 *
 * <p>Each path may be a glob ({@code /data/events/date=2026-12-0*}); folders are listed
 * recursively. As Spark's file index does, files and folders below a path whose names start with
 * {@code _} or {@code .} ({@code _SUCCESS}, {@code .crc} files, {@code _temporary}) are not data
 * and are left out.
 *
 * <p>A table's folder also holds what its older versions removed (until a {@code VACUUM} or the
 * snapshots expire), which a scan of the table does not read. So a table counts what its current
 * version reads, from its metadata:
 *
 * <ul>
 *   <li>a Delta table (a folder with a {@code _delta_log} folder), given or found below a given
 *       folder: its latest version's files, read from the log ({@link DeltaTableFiles});
 *   <li>a partition folder of a Delta table ({@code <table>/day=2026-12-05}, each folder between it
 *       and the table named {@code column=value}): the latest version's files below it;
 *   <li>an Iceberg table (a folder with a {@code metadata} folder of {@code *.metadata.json}
 *       files), given or found below a given folder: its current snapshot's files ({@link
 *       IcebergTableFiles});
 *   <li>the data folder of an Iceberg table, or a partition folder in it ({@code
 *       <table>/data/day=2026-12-05}): the current snapshot's files below it, from its manifests.
 * </ul>
 *
 * A table whose metadata cannot be read is listed as files instead.
 */
public final class InputListing {
  private InputListing() {}

  /**
   * What a listing found: bytes and files under the paths, how many tables were sized from their
   * metadata (Delta tables, including those of partition folders, and Iceberg tables), and how long
   * it took.
   */
  public record Size(long bytes, long files, int deltaTables, int icebergTables, long millis) {}

  /** Comma-separated paths, blanks dropped. */
  public static List<String> split(String paths) {
    List<String> out = new ArrayList<>();
    for (String p : paths.split(",")) {
      if (!p.isBlank()) {
        out.add(p.trim());
      }
    }
    return out;
  }

  /** Bytes and files counted so far, and the tables sized from their metadata. */
  private static final class Tally {
    long bytes;
    long files;
    int deltaTables;
    int icebergTables;

    void add(long b, long f) {
      bytes += b;
      files += f;
    }
  }

  /**
   * Lists {@code paths}.
   *
   * @throws FileNotFoundException naming the first path that matches nothing
   * @throws IOException when a file system cannot be reached or listed
   */
  public static Size list(List<String> paths, Configuration conf) throws IOException {
    long t0 = System.nanoTime();
    if (paths.isEmpty()) {
      throw new FileNotFoundException("no input path given");
    }
    Tally tally = new Tally();
    // Partition folders of Delta tables, by table: each table's log is read once for all of them.
    Map<Path, List<Path>> partitions = new LinkedHashMap<>();
    Map<Path, Boolean> isDeltaTable = new HashMap<>();
    // Data and partition folders of Iceberg tables, by table; the names in each metadata folder.
    Map<Path, List<Path>> icebergFolders = new LinkedHashMap<>();
    Map<Path, List<String>> icebergMetadata = new HashMap<>();
    for (String p : paths) {
      Path path = new Path(p);
      FileSystem fs = path.getFileSystem(conf);
      FileStatus[] matched = fs.globStatus(path);
      if (matched == null || matched.length == 0) {
        throw new FileNotFoundException("input path '" + p + "' matches no file or folder");
      }
      for (FileStatus root : matched) {
        if (root.isFile()) {
          tally.add(root.getLen(), 1);
          continue;
        }
        Path folder = root.getPath();
        if (fs.isDirectory(new Path(folder, DELTA_LOG))) {
          DeltaTableFiles.Live live = deltaTable(folder, conf, null);
          if (live != null) {
            tally.add(live.bytes(), live.files());
            tally.deltaTables++;
            continue;
          }
          walk(fs, folder, conf, tally);
          continue;
        }
        Path table = partitionedTable(folder);
        if (table != null
            && isDeltaTable.computeIfAbsent(
                table, t -> isDirectoryQuietly(fs, new Path(t, DELTA_LOG)))) {
          partitions.computeIfAbsent(table, t -> new ArrayList<>()).add(folder);
          continue;
        }
        Path iceberg = icebergTableAbove(fs, folder, table, icebergMetadata);
        if (iceberg != null) {
          icebergFolders.computeIfAbsent(iceberg, t -> new ArrayList<>()).add(folder);
          continue;
        }
        walk(fs, folder, conf, tally);
      }
    }
    for (Map.Entry<Path, List<Path>> e : icebergFolders.entrySet()) {
      List<String> under = new ArrayList<>();
      for (Path folder : e.getValue()) {
        under.add(folder.toUri().getPath() + "/");
      }
      Path table = e.getKey();
      FileSystem fs = table.getFileSystem(conf);
      try {
        IcebergTableFiles.Current current =
            IcebergTableFiles.currentSelected(
                fs, table, icebergMetadata.get(table), f -> under.stream().anyMatch(f::startsWith));
        tally.add(current.bytes(), current.files());
        tally.icebergTables++;
      } catch (IOException unreadable) {
        for (Path folder : e.getValue()) {
          walk(fs, folder, conf, tally);
        }
      }
    }
    for (Map.Entry<Path, List<Path>> e : partitions.entrySet()) {
      Path table = e.getKey();
      String tablePath = table.toUri().getPath();
      List<String> under = new ArrayList<>();
      for (Path folder : e.getValue()) {
        String abs = folder.toUri().getPath();
        under.add(abs.substring(tablePath.length() + 1) + "/"); // as the log names its files
        under.add(abs + "/"); // a file the log names by an absolute URI
      }
      DeltaTableFiles.Live live =
          deltaTable(table, conf, f -> under.stream().anyMatch(f::startsWith));
      if (live != null) {
        tally.add(live.bytes(), live.files());
        tally.deltaTables++;
      } else {
        for (Path folder : e.getValue()) {
          walk(folder.getFileSystem(conf), folder, conf, tally);
        }
      }
    }
    return new Size(
        tally.bytes,
        tally.files,
        tally.deltaTables,
        tally.icebergTables,
        (System.nanoTime() - t0) / 1_000_000);
  }

  private static final String DELTA_LOG = "_delta_log";

  /**
   * The folder above {@code folder}'s partition folders ({@code column=value} names), which would
   * be the table's; null when {@code folder} is not named {@code column=value}.
   */
  static Path partitionedTable(Path folder) {
    Path p = folder;
    while (p.getParent() != null && p.getName().indexOf('=') > 0) {
      p = p.getParent();
    }
    return p == folder || p.getParent() == null && p.getName().isEmpty() ? null : p;
  }

  /**
   * The Iceberg table whose data folder {@code folder} is, or holds {@code folder} as a partition
   * folder ({@code partitionTable}, the folder above its {@code column=value} names, is the data
   * folder): {@code <table>/data} or {@code <table>/data/day=2026-12-05}; null when the folder
   * above has no Iceberg metadata. {@code metadata} remembers each candidate's metadata names.
   */
  private static Path icebergTableAbove(
      FileSystem fs, Path folder, Path partitionTable, Map<Path, List<String>> metadata) {
    Path data =
        DATA_DIR.equals(folder.getName())
            ? folder
            : partitionTable != null && DATA_DIR.equals(partitionTable.getName())
                ? partitionTable
                : null;
    if (data == null || data.getParent() == null) {
      return null;
    }
    Path table = data.getParent();
    List<String> names =
        metadata.computeIfAbsent(
            table,
            t -> {
              List<String> found = new ArrayList<>();
              try {
                for (FileStatus f : fs.listStatus(new Path(t, IcebergTableFiles.METADATA_DIR))) {
                  found.add(f.getPath().getName());
                }
              } catch (IOException notThere) {
                // not an Iceberg table
              }
              return found.stream().anyMatch(IcebergTableFiles::isMetadataName) ? found : List.of();
            });
    return names.isEmpty() ? null : table;
  }

  private static final String DATA_DIR = "data";

  private static boolean isDirectoryQuietly(FileSystem fs, Path p) {
    try {
      return fs.isDirectory(p);
    } catch (IOException e) {
      return false; // then the folder is listed
    }
  }

  /**
   * Lists the files below {@code root} into {@code tally}; the Delta and Iceberg tables found below
   * it (not {@code root} itself as a Delta table: it was tried) count their current versions' files
   * instead of theirs. The listing is one recursive listing (an object store lists a prefix flat,
   * in pages), summed per folder, so that the folders of a table found late in it can be taken out
   * again.
   */
  private static void walk(FileSystem fs, Path root, Configuration conf, Tally tally)
      throws IOException {
    String prefix = root.toUri().getPath();
    Map<String, long[]> byFolder = new HashMap<>();
    Map<String, Path> deltaTables = new TreeMap<>();
    Map<String, Path> icebergTables = new TreeMap<>();
    Map<String, Set<String>> icebergMetadata = new HashMap<>();
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
    while (it.hasNext()) {
      LocatedFileStatus f = it.next();
      if (Thread.currentThread().isInterrupted()) {
        throw new IOException("listing " + root + " was interrupted");
      }
      String file = f.getPath().toUri().getPath();
      String rel = file.startsWith(prefix) ? file.substring(prefix.length()) : file;
      String[] names = rel.startsWith("/") ? rel.substring(1).split("/") : rel.split("/");
      boolean data = true;
      for (int i = 0; i < names.length - 1 && data; i++) {
        String name = names[i];
        if (name.startsWith("_") || name.startsWith(".")) {
          data = false;
          if (i > 0 && name.equals(DELTA_LOG)) {
            Path table = ancestor(f.getPath(), names.length - i);
            deltaTables.putIfAbsent(table.toUri().getPath(), table);
          }
        } else if (name.equals(IcebergTableFiles.METADATA_DIR)
            && i == names.length - 2
            && IcebergTableFiles.isMetadataName(names[i + 1])) {
          Path table = ancestor(f.getPath(), 2);
          String key = table.toUri().getPath();
          icebergTables.putIfAbsent(key, table);
          icebergMetadata.computeIfAbsent(key, k -> new HashSet<>()).add(names[i + 1]);
        }
      }
      String last = names[names.length - 1];
      if (data && !last.startsWith("_") && !last.startsWith(".")) {
        String folder = file.substring(0, Math.max(0, file.lastIndexOf('/')));
        long[] sum = byFolder.computeIfAbsent(folder, k -> new long[2]);
        sum[0] += f.getLen();
        sum[1]++;
      }
    }
    List<String> sized = new ArrayList<>();
    for (Map.Entry<String, Path> t : deltaTables.entrySet()) {
      if (!within(t.getKey(), sized)) {
        DeltaTableFiles.Live live = deltaTable(t.getValue(), conf, null);
        if (live != null) {
          tally.add(live.bytes(), live.files());
          tally.deltaTables++;
          sized.add(t.getKey());
        }
      }
    }
    for (Map.Entry<String, Path> t : icebergTables.entrySet()) {
      if (!within(t.getKey(), sized)) {
        try {
          IcebergTableFiles.Current current =
              IcebergTableFiles.current(fs, t.getValue(), icebergMetadata.get(t.getKey()));
          tally.add(current.bytes(), current.files());
          tally.icebergTables++;
          sized.add(t.getKey());
        } catch (IOException e) {
          // listed as files
        }
      }
    }
    for (Map.Entry<String, long[]> folder : byFolder.entrySet()) {
      if (!within(folder.getKey(), sized)) {
        tally.add(folder.getValue()[0], folder.getValue()[1]);
      }
    }
  }

  /** Whether {@code folder} is one of {@code roots} or below one. */
  private static boolean within(String folder, List<String> roots) {
    for (String r : roots) {
      if (folder.equals(r) || folder.startsWith(r.endsWith("/") ? r : r + "/")) {
        return true;
      }
    }
    return false;
  }

  /** {@code levels} folders up from {@code file}. */
  private static Path ancestor(Path file, int levels) {
    Path p = file;
    for (int i = 0; i < levels; i++) {
      p = p.getParent();
    }
    return p;
  }

  /** The Delta table's latest files; null when its log cannot be read (it is then listed). */
  private static DeltaTableFiles.Live deltaTable(
      Path table, Configuration conf, Predicate<String> selected) {
    try {
      return DeltaTableFiles.latest(table.toString(), conf, selected);
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Lists {@code paths} on a daemon thread and waits at most {@code timeoutMs}: a slow object store
   * must not hold up the application's start. The listing is interrupted when it is late.
   *
   * @throws IOException when the listing failed, naming why, or took longer than {@code timeoutMs}
   */
  public static Size listWithin(List<String> paths, Configuration conf, long timeoutMs)
      throws IOException {
    try {
      return TimeBox.call("foresight-input-listing", timeoutMs, () -> list(paths, conf));
    } catch (TimeoutException e) {
      throw new IOException(
          "listing the input paths took longer than "
              + timeoutMs
              + " ms (spark.foresight.input.listTimeout)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while listing the input paths");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IOException("listing the input paths failed: " + cause, cause);
    }
  }
}
