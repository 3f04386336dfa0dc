package io.foresight.spark;

import io.foresight.history.DeltaTableFiles;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * and are left out. A folder holding a Delta table (a {@code _delta_log} folder) counts its latest
 * version's files, read from the log ({@link DeltaTableFiles}): the folder also holds what older
 * versions removed, until a {@code VACUUM}; when the log cannot be read, the folder is listed.
 */
public final class InputListing {
  private InputListing() {}

  /**
   * What a listing found: bytes and files under the paths, how many of the folders were Delta
   * tables sized from their logs, and how long it took.
   */
  public record Size(long bytes, long files, int deltaTables, long millis) {}

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
    long bytes = 0;
    long files = 0;
    int deltaTables = 0;
    for (String p : paths) {
      Path path = new Path(p);
      FileSystem fs = path.getFileSystem(conf);
      FileStatus[] matched = fs.globStatus(path);
      if (matched == null || matched.length == 0) {
        throw new FileNotFoundException("input path '" + p + "' matches no file or folder");
      }
      for (FileStatus root : matched) {
        if (root.isFile()) {
          bytes += root.getLen();
          files++;
          continue;
        }
        if (fs.isDirectory(new Path(root.getPath(), "_delta_log"))) {
          DeltaTableFiles.Live live = deltaTable(root.getPath(), conf);
          if (live != null) {
            bytes += live.bytes();
            files += live.files();
            deltaTables++;
            continue;
          }
        }
        String prefix = root.getPath().toUri().getPath();
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(root.getPath(), true);
        while (it.hasNext()) {
          LocatedFileStatus f = it.next();
          if (Thread.currentThread().isInterrupted()) {
            throw new IOException("listing " + p + " was interrupted");
          }
          if (isData(f.getPath().toUri().getPath(), prefix)) {
            bytes += f.getLen();
            files++;
          }
        }
      }
    }
    return new Size(bytes, files, deltaTables, (System.nanoTime() - t0) / 1_000_000);
  }

  /** The Delta table's latest files; null when its log cannot be read (it is then listed). */
  private static DeltaTableFiles.Live deltaTable(Path table, Configuration conf) {
    try {
      return DeltaTableFiles.latest(table.toString(), conf);
    } catch (IOException e) {
      return null;
    }
  }

  /** Whether no name below {@code root} in {@code file} starts with {@code _} or {@code .}. */
  static boolean isData(String file, String root) {
    String rel = file.startsWith(root) ? file.substring(root.length()) : file;
    for (String name : rel.split("/")) {
      if (name.startsWith("_") || name.startsWith(".")) {
        return false;
      }
    }
    return true;
  }

  /**
   * Lists {@code paths} on a daemon thread and waits at most {@code timeoutMs}: a slow object store
   * must not hold up the application's start. The listing is interrupted when it is late.
   *
   * @throws IOException when the listing failed, naming why, or took longer than {@code timeoutMs}
   */
  public static Size listWithin(List<String> paths, Configuration conf, long timeoutMs)
      throws IOException {
    FutureTask<Size> task = new FutureTask<>(() -> list(paths, conf));
    Thread t = new Thread(task, "foresight-input-listing");
    t.setDaemon(true);
    t.start();
    try {
      return task.get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      task.cancel(true);
      throw new IOException(
          "listing the input paths took longer than "
              + timeoutMs
              + " ms (spark.foresight.input.listTimeout)");
    } catch (InterruptedException e) {
      task.cancel(true);
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
