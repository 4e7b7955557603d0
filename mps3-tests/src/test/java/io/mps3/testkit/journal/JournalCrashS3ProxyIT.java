package io.mps3.testkit.journal;

import io.mps3.spi.ObjectStore;
import io.mps3.testkit.S3ProxyServer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;

/**
 * {@link JournalCrashCases} over HTTP against S3Proxy (signatures checked, LastModified in whole
 * seconds), started in this JVM; the killed and restarted workers reach it on loopback. A bucket
 * per case.
 */
@Order(2)
class JournalCrashS3ProxyIT extends JournalCrashCases {

  private static final AtomicInteger BUCKETS = new AtomicInteger();

  private String bucket = "";

  @BeforeEach
  void createBucket() {
    bucket = "journal-crash-" + BUCKETS.incrementAndGet();
    S3ProxyServer.shared().storeWithBucket(bucket).close();
  }

  @Override
  String storeArgument() {
    return S3ProxyServer.shared().endpoint().toString();
  }

  @Override
  String bucket() {
    return bucket;
  }

  @Override
  ObjectStore openStore() {
    return S3ProxyServer.shared().storeBuilder().build();
  }
}
