package io.foresight.history.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFileLogStoreTest {
  @TempDir Path dir;

  private static org.apache.hadoop.fs.Path hadoop(Path p) {
    return new org.apache.hadoop.fs.Path(p.toUri());
  }

  @Test
  void aStaleChecksumOfLastCheckpointFromAnOlderWriterIsRemoved() throws Exception {
    // An older Foresight wrote through Hadoop's checksummed local file system and left this
    // sidecar; the raw file system rewrites _last_checkpoint without it.
    Path log = dir.resolve("t").resolve("_delta_log");
    Files.createDirectories(log);
    Path stale = log.resolve("._last_checkpoint.crc");
    Files.write(stale, new byte[] {'c', 'r', 'c', 0, 0, 0, 2, 0, 1, 2, 3, 4});
    KernelTableWriter writer = new KernelTableWriter(new Configuration(), 3);
    writer.createIfAbsent(
        dir.resolve("t").toUri().toString(),
        new io.delta.kernel.types.StructType().add("x", io.delta.kernel.types.LongType.LONG));
    assertTrue(Files.exists(log.resolve("_last_checkpoint")), "version 0 is checkpointed");
    assertFalse(Files.exists(stale));
    // Hadoop's checksummed reader, as delta-spark uses, reads it without a ChecksumException.
    org.apache.hadoop.fs.FileSystem fs =
        org.apache.hadoop.fs.FileSystem.getLocal(new Configuration());
    try (var in = fs.open(hadoop(log.resolve("_last_checkpoint")))) {
      assertTrue(new String(in.readAllBytes(), StandardCharsets.UTF_8).contains("\"version\":0"));
    }
  }

  @Test
  void aSecondWriteOfTheSameVersionFailsAndKeepsTheFirst() throws Exception {
    Configuration conf = new Configuration();
    Path commit = dir.resolve("_delta_log").resolve("00000000000000000000.json");
    new LocalFileLogStore(conf).write(hadoop(commit), List.of("a", "b").iterator(), false, conf);
    assertThrows(
        FileAlreadyExistsException.class,
        () ->
            new LocalFileLogStore(conf)
                .write(hadoop(commit), List.of("c").iterator(), false, conf));
    assertEquals("a\nb\n", Files.readString(commit));
    try (Stream<Path> files = Files.list(commit.getParent())) {
      assertEquals(List.of(commit), files.toList(), "no temporary file left behind");
    }
  }

  /**
   * Many stores (as in separate drivers) race for one version: exactly one wins, intact. Delta's
   * stock HDFSLogStore fails this on a local disk (two winners within a few rounds).
   */
  @Test
  void racingWritersHaveExactlyOneWinner() throws Exception {
    Configuration conf = KernelTableWriter.forLocalHistory(new Configuration());
    int writers = 8;
    int rounds = 50;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      for (int round = 0; round < rounds; round++) {
        Path commit = dir.resolve("_delta_log").resolve(String.format("%020d.json", round));
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> won = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
          String body = "writer-" + w;
          won.add(
              pool.submit(
                  () -> {
                    start.await();
                    try {
                      new LocalFileLogStore(conf)
                          .write(hadoop(commit), List.of(body).iterator(), false, conf);
                      return true;
                    } catch (FileAlreadyExistsException e) {
                      return false;
                    }
                  }));
        }
        start.countDown();
        List<Integer> winners = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
          if (won.get(w).get()) {
            winners.add(w);
          }
        }
        assertEquals(1, winners.size(), "round " + round + " winners " + winners);
        assertEquals(
            "writer-" + winners.get(0) + "\n", Files.readString(commit, StandardCharsets.UTF_8));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void kernelWritersUseItForLocalFilesUnlessConfigured() {
    Configuration plain = KernelTableWriter.forLocalHistory(new Configuration());
    assertEquals(LocalFileLogStore.class.getName(), plain.get(LocalFileLogStore.KERNEL_CONF_KEY));
    Configuration own = new Configuration();
    own.set(LocalFileLogStore.KERNEL_CONF_KEY, "com.example.TheirStore");
    assertEquals(
        "com.example.TheirStore",
        KernelTableWriter.forLocalHistory(own).get(LocalFileLogStore.KERNEL_CONF_KEY));
  }
}
