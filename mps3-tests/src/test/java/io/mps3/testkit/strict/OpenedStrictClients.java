package io.mps3.testkit.strict;

import io.mps3.Mps3Config;
import io.mps3.StrictAsyncClient;
import io.mps3.spi.ObjectStore;
import io.mps3.store.ObjectStores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/** The stores and strict clients a test opens, closed after it, newest first. */
final class OpenedStrictClients implements AutoCloseable {

  private final String bucket;
  private final @Nullable Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  /** For clients of stores the test passes in. */
  OpenedStrictClients(String bucket) {
    this.bucket = bucket;
    this.dir = null;
  }

  /** For clients of stores the test passes in, and of stores it asks {@link #store} for. */
  OpenedStrictClients(String bucket, Path dir) {
    this.bucket = bucket;
    this.dir = dir;
  }

  /** An in-memory store ({@code "memory"}) or a local directory store in the test's directory. */
  ObjectStore store(String kind) {
    if (kind.equals("memory")) {
      return add(ObjectStores.inMemory());
    }
    return add(ObjectStores.localDirectory(Objects.requireNonNull(dir, "no directory given")));
  }

  /** A strict client of the test's bucket over {@code store}, with the test's options. */
  StrictAsyncClient client(ObjectStore store, UnaryOperator<Mps3Config.Builder> options) {
    return add(
        StrictAsyncClient.create(
            options
                .apply(Mps3Config.builder().store(store).bucket(bucket).strictProtocol())
                .build()));
  }

  <T extends AutoCloseable> T add(T resource) {
    open.add(resource);
    return resource;
  }

  @Override
  public void close() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }
}
