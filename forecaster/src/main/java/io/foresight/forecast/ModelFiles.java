package io.foresight.forecast;

import java.io.Closeable;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.UnsupportedFileSystemException;

/**
 * The files of a model folder ({@code <history>/models}), named by paths relative to it ({@code
 * 20261122T161500Z/jobs/ab12….json}): on the local disk, or on any file system Hadoop reaches
 * (HDFS, S3, GCS, ABFS), as the history itself is.
 *
 * <p>A file is replaced whole. On the local disk it is written beside and moved over atomically; on
 * an object store (S3, GCS, OSS, WASB) it is uploaded in place, which publishes it whole when the
 * upload completes; on other Hadoop file systems it is written beside and renamed over the old one
 * through {@code FileContext}, in one step where the file system can (HDFS). A scheme without a
 * {@code FileContext} binding has the old one deleted first, so a reader in that moment finds none.
 * On the local disk the online statistics' read-modify-write holds a file lock; Hadoop offers none,
 * so there two applications of one job that end at the same moment may each fold their run into
 * statistics the other did not see, and the later write wins (the next training learns from both
 * runs).
 */
abstract class ModelFiles {
  /** Where the files are, for messages: {@code /home/me/.foresight/history/models/LATEST}. */
  abstract String describe(String rel);

  /**
   * The file's bytes.
   *
   * @throws NoSuchFileException when there is no such file
   */
  abstract byte[] read(String rel) throws IOException;

  /** Whether {@code rel} is a file; false when it cannot be told. */
  abstract boolean isFile(String rel);

  /** The names in folder {@code rel} (the root when empty), sorted; empty when it is not there. */
  abstract List<String> list(String rel) throws IOException;

  /** Replaces (or creates) the file with {@code bytes}, creating its folders. */
  abstract void write(String rel, byte[] bytes) throws IOException;

  /** Deletes the file or folder (with what it holds), if it is there. */
  abstract void delete(String rel) throws IOException;

  /** Holds off other writers of {@code rel} until closed, where the file system can. */
  abstract Closeable lock(String rel) throws IOException;

  /** The local folder, or null when the files are on another file system. */
  abstract Path localRoot();

  static ModelFiles local(Path root) {
    return new Local(root);
  }

  static ModelFiles hadoop(String root, Configuration conf) throws IOException {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(root);
    return new Hadoop(p.getFileSystem(conf), p, conf);
  }

  private static final class Local extends ModelFiles {
    private final Path root;

    Local(Path root) {
      this.root = root;
    }

    private Path at(String rel) {
      return rel.isEmpty() ? root : root.resolve(rel);
    }

    @Override
    String describe(String rel) {
      return at(rel).toString();
    }

    @Override
    byte[] read(String rel) throws IOException {
      return Files.readAllBytes(at(rel));
    }

    @Override
    boolean isFile(String rel) {
      return Files.isRegularFile(at(rel));
    }

    @Override
    List<String> list(String rel) throws IOException {
      Path dir = at(rel);
      if (!Files.isDirectory(dir)) {
        return List.of();
      }
      try (Stream<Path> s = Files.list(dir)) {
        return s.map(p -> p.getFileName().toString()).sorted().toList();
      }
    }

    @Override
    void write(String rel, byte[] bytes) throws IOException {
      Path file = at(rel);
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.write(tmp, bytes);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    void delete(String rel) throws IOException {
      Path p = at(rel);
      if (!Files.isDirectory(p)) {
        Files.deleteIfExists(p);
        return;
      }
      try (Stream<Path> files = Files.walk(p)) {
        for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(f);
        }
      }
    }

    @Override
    Closeable lock(String rel) throws IOException {
      Path file = at(rel);
      Files.createDirectories(file.getParent());
      FileChannel channel =
          FileChannel.open(
              file.resolveSibling(file.getFileName() + ".lock"),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE);
      try {
        FileLock lock = channel.lock();
        return () -> {
          try (channel) {
            lock.release();
          }
        };
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
    }

    @Override
    Path localRoot() {
      return root;
    }
  }

  private static final class Hadoop extends ModelFiles {
    /**
     * Object stores, where an object is published whole when its upload closes (and a rename is a
     * copy): a file is written in place there, as Delta's log stores for them do.
     */
    private static final java.util.Set<String> OBJECT_STORES =
        java.util.Set.of("s3", "s3a", "s3n", "gs", "oss", "cosn", "obs", "wasb", "wasbs");

    private final FileSystem fs;
    private final org.apache.hadoop.fs.Path root;
    private final Configuration conf;
    private final boolean publishesOnClose;
    private FileContext fileContext; // made on the first replacing rename
    private boolean noFileContext; // the scheme has no FileContext binding

    Hadoop(FileSystem fs, org.apache.hadoop.fs.Path root, Configuration conf) {
      this.fs = fs;
      this.conf = conf;
      this.root = fs.makeQualified(root);
      String scheme = this.root.toUri().getScheme();
      this.publishesOnClose =
          scheme != null && OBJECT_STORES.contains(scheme.toLowerCase(java.util.Locale.ROOT));
    }

    private org.apache.hadoop.fs.Path at(String rel) {
      return rel.isEmpty() ? root : new org.apache.hadoop.fs.Path(root, rel);
    }

    @Override
    String describe(String rel) {
      return at(rel).toString();
    }

    @Override
    byte[] read(String rel) throws IOException {
      try (FSDataInputStream in = fs.open(at(rel))) {
        return in.readAllBytes();
      } catch (FileNotFoundException e) {
        throw new NoSuchFileException(describe(rel));
      }
    }

    @Override
    boolean isFile(String rel) {
      try {
        return fs.getFileStatus(at(rel)).isFile();
      } catch (IOException e) {
        return false;
      }
    }

    @Override
    List<String> list(String rel) throws IOException {
      FileStatus[] entries;
      try {
        entries = fs.listStatus(at(rel));
      } catch (FileNotFoundException e) {
        return List.of();
      }
      List<String> names = new ArrayList<>(entries.length);
      for (FileStatus s : entries) {
        names.add(s.getPath().getName());
      }
      names.sort(null);
      return names;
    }

    @Override
    void write(String rel, byte[] bytes) throws IOException {
      org.apache.hadoop.fs.Path file = at(rel);
      if (publishesOnClose) {
        try (FSDataOutputStream out = fs.create(file, true)) {
          out.write(bytes);
        }
        return;
      }
      // A name of its own per writer: two writers never write into one temporary file.
      org.apache.hadoop.fs.Path tmp =
          new org.apache.hadoop.fs.Path(
              file.getParent(), "." + file.getName() + "." + UUID.randomUUID() + ".tmp");
      try (FSDataOutputStream out = fs.create(tmp, true)) {
        out.write(bytes);
      }
      try {
        if (renameReplacing(tmp, file)) {
          return;
        }
        // FileSystem.rename does not replace: delete, then rename. A reader in between finds no
        // file, as before the first write: no model (the run is left as configured) or no
        // statistics yet.
        fs.delete(file, false);
        if (!fs.rename(tmp, file)) {
          throw new IOException("cannot rename " + tmp + " to " + file);
        }
      } catch (IOException | RuntimeException e) {
        try {
          fs.delete(tmp, false);
        } catch (IOException | RuntimeException cleanup) {
          e.addSuppressed(cleanup);
        }
        throw e;
      }
    }

    /**
     * Renames {@code tmp} over {@code file} through Hadoop's {@code FileContext}, which replaces in
     * one step where the file system can (HDFS); false when the scheme has no {@code FileContext}
     * binding ({@code fs.AbstractFileSystem.<scheme>.impl}).
     */
    private synchronized boolean renameReplacing(
        org.apache.hadoop.fs.Path tmp, org.apache.hadoop.fs.Path file) throws IOException {
      if (noFileContext) {
        return false;
      }
      if (fileContext == null) {
        // one per model folder, not per file: on HDFS each is a client of its own
        try {
          fileContext = FileContext.getFileContext(file.toUri(), conf);
        } catch (UnsupportedFileSystemException e) {
          noFileContext = true;
          return false;
        }
      }
      fileContext.rename(tmp, file, Options.Rename.OVERWRITE);
      return true;
    }

    @Override
    void delete(String rel) throws IOException {
      fs.delete(at(rel), true);
    }

    @Override
    Closeable lock(String rel) {
      return () -> {};
    }

    @Override
    Path localRoot() {
      return null;
    }
  }
}
