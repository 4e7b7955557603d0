package io.mps3.testkit.journal;

import io.mps3.spi.ObjectStore;
import io.mps3.store.ObjectStores;
import org.junit.jupiter.api.Order;

/** {@link JournalCrashCases} on a local directory store. */
@Order(1)
class JournalCrashTest extends JournalCrashCases {

  @Override
  String storeArgument() {
    return dir.resolve("bucket").toString();
  }

  @Override
  String bucket() {
    return "crash";
  }

  @Override
  ObjectStore openStore() {
    return ObjectStores.localDirectory(dir.resolve("bucket"));
  }
}
