package io.foresight.testing;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local disk under another scheme ({@code hdfsish:///tmp/x} is {@code /tmp/x}): a Hadoop file
 * system that is not {@code file:}, as HDFS or S3 would be, for code that must work on any. It
 * counts its renames, which object stores do not have, and its instances (its cache is off).
 */
public class LocalUnderScheme extends RawLocalFileSystem {
  public static final AtomicInteger RENAMES = new AtomicInteger();

  /**
   * Instances set up through Hadoop's {@code FileSystem} API (not those behind a {@code
   * FileContext}): each is a client a real file system would set up.
   */
  public static final AtomicInteger INSTANCES = new AtomicInteger();

  private final boolean counted;

  private URI uri; // set by initialize; the superclass's constructor asks before

  public LocalUnderScheme() {
    this(true);
  }

  /** For file systems built on this one; {@code counted}: whether {@link #INSTANCES} counts it. */
  protected LocalUnderScheme(boolean counted) {
    this.counted = counted;
  }

  /** Makes {@code scheme} this file system in {@code conf}, for both of Hadoop's APIs. */
  public static Configuration register(Configuration conf, String scheme) {
    conf.set("fs." + scheme + ".impl", LocalUnderScheme.class.getName());
    conf.setBoolean("fs." + scheme + ".impl.disable.cache", true);
    conf.set("fs.AbstractFileSystem." + scheme + ".impl", LocalUnderSchemeFs.class.getName());
    return conf;
  }

  @Override
  public void initialize(URI name, Configuration conf) throws IOException {
    if (counted) {
      INSTANCES.incrementAndGet();
    }
    uri = URI.create(name.getScheme() + ":///");
    super.initialize(name, conf);
  }

  @Override
  public URI getUri() {
    return uri == null ? URI.create("file:///") : uri;
  }

  @Override
  public String getScheme() {
    return getUri().getScheme();
  }

  @Override
  public boolean rename(Path src, Path dst) throws IOException {
    RENAMES.incrementAndGet();
    return super.rename(src, dst);
  }
}
