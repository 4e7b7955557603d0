package io.mps3.testkit;

import io.mps3.spi.ObjectStore;
import io.mps3.store.ObjectStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A local directory store in a new temporary directory for one test class: opened before its first
 * test, closed and deleted after its last. Register it in a static field:
 *
 * <pre>
 * {@code @RegisterExtension static final LocalDirectoryStore local = new LocalDirectoryStore();}
 * </pre>
 */
public final class LocalDirectoryStore implements BeforeAllCallback, AfterAllCallback {

  private @Nullable Path root;
  private @Nullable ObjectStore store;

  /** The open store; only between the class's first and last test. */
  public ObjectStore store() {
    if (store == null) {
      throw new IllegalStateException("the local directory store is open only while tests run");
    }
    return store;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    root = Files.createTempDirectory("mps3-local-");
    store = ObjectStores.localDirectory(root);
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    if (store != null) {
      store.close();
      store = null;
    }
    if (root != null) {
      try (Stream<Path> files = Files.walk(root)) {
        files.sorted(Comparator.reverseOrder()).forEach(LocalDirectoryStore::delete);
      }
      root = null;
    }
  }

  private static void delete(Path file) {
    try {
      Files.delete(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
