package io.mps3.testkit.journal;

import io.mps3.spi.ObjectStore;
import io.mps3.store.ObjectStores;

/** {@link JournalCrashCases} on a local directory store. */
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
