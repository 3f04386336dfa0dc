package io.foresight.testing;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.DelegateToFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * {@link LocalUnderScheme} as Hadoop's other file system API ({@code FileContext}), which Delta's
 * log store for HDFS writes commits through.
 */
public final class LocalUnderSchemeFs extends DelegateToFileSystem {
  /** Renames asked for through {@code FileContext} that may replace their target. */
  public static final AtomicInteger REPLACING_RENAMES = new AtomicInteger();

  public LocalUnderSchemeFs(URI uri, Configuration conf) throws IOException, URISyntaxException {
    super(uri, new LocalUnderScheme(false), conf, uri.getScheme(), false);
  }

  @Override
  public void renameInternal(Path src, Path dst, boolean overwrite) throws IOException {
    if (overwrite) {
      REPLACING_RENAMES.incrementAndGet();
    }
    super.renameInternal(src, dst, overwrite);
  }
}
