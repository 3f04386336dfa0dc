package io.foresight.history.internal;

import io.delta.storage.HDFSLogStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Delta log store for local files whose commits are atomic across threads and processes.
 *
 * <p>Delta's stock stores publish a commit file by renaming a temporary file after checking that
 * the target does not exist. On a local file system {@code rename(2)} replaces an existing target,
 * so two writers racing for the same version can both "win" and one commit silently disappears.
 * Foresight's local history has several writers (live drivers, imports, recovery), so this store
 * publishes a commit with a hard link instead: {@code link(2)} fails atomically when the target
 * exists, which Kernel reports as a conflict and retries at the next version.
 *
 * <p>Overwrites ({@code _last_checkpoint}) and file systems without hard links fall back to the
 * stock behaviour. {@link #isPartialWriteVisible} stays {@code true}: Kernel reads it to decide
 * whether other files (checkpoints) must be written to a temporary name and renamed, and a
 * checkpoint written in place can be read half-written by a concurrent writer.
 */
public final class LocalFileLogStore extends HDFSLogStore {
  /** The Hadoop configuration key through which Kernel's default engine picks a log store. */
  public static final String KERNEL_CONF_KEY = "io.delta.kernel.logStore.file.impl";

  /** The Spark configuration key through which delta-spark picks a log store for local files. */
  public static final String SPARK_CONF_KEY = "spark.delta.logStore.file.impl";

  private static final Logger LOG = LoggerFactory.getLogger(LocalFileLogStore.class);
  private static final AtomicBoolean WARNED = new AtomicBoolean();

  public LocalFileLogStore(Configuration hadoopConf) {
    super(hadoopConf);
  }

  @Override
  public void write(
      Path path, Iterator<String> actions, Boolean overwrite, Configuration hadoopConf)
      throws IOException {
    if (overwrite || !"file".equals(path.toUri().getScheme())) {
      super.write(path, actions, overwrite, hadoopConf);
      return;
    }
    java.nio.file.Path target = Paths.get(path.toUri());
    if (Files.exists(target)) {
      throw new FileAlreadyExistsException(target.toString());
    }
    java.nio.file.Path dir = target.getParent();
    Files.createDirectories(dir);
    java.nio.file.Path temp =
        dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      try (FileChannel ch =
              FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          OutputStream out = Channels.newOutputStream(ch)) {
        while (actions.hasNext()) {
          out.write((actions.next() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        out.flush();
        ch.force(true);
      }
      try {
        Files.createLink(target, temp); // atomic; FileAlreadyExistsException if another won
      } catch (FileAlreadyExistsException lost) {
        throw lost;
      } catch (UnsupportedOperationException | FileSystemException noLinks) {
        if (WARNED.compareAndSet(false, true)) {
          LOG.warn(
              "Foresight: {} does not support hard links ({}); Delta commits there fall back to"
                  + " rename, which is not safe for concurrent writers",
              dir,
              noLinks.toString());
        }
        super.write(
            path, Files.readAllLines(temp, StandardCharsets.UTF_8).iterator(), false, hadoopConf);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
