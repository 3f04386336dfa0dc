package io.foresight.testing;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.DelegateToFileSystem;

/**
 * {@link LocalUnderScheme} as Hadoop's other file system API ({@code FileContext}), which Delta's
 * log store for HDFS writes commits through.
 */
public final class LocalUnderSchemeFs extends DelegateToFileSystem {
  public LocalUnderSchemeFs(URI uri, Configuration conf) throws IOException, URISyntaxException {
    super(uri, new LocalUnderScheme(), conf, uri.getScheme(), false);
  }
}
