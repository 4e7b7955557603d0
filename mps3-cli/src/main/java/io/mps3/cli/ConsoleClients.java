package io.mps3.cli;

import io.mps3.Mps3Client;
import io.mps3.Protocol;
import io.mps3.spi.ObjectStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The console's clients, one per manifest and protocol the page has opened, over the one store:
 * every read and write of the page goes through the normal {@link Mps3Client} API. Opened on first
 * use, closed with the console. Thread-safe.
 */
final class ConsoleClients implements AutoCloseable {

  private final StoreOptions options;
  private final ObjectStore store;
  private final Map<ManifestFinder.Found, Mps3Client> open = new LinkedHashMap<>();
  private boolean closed;

  ConsoleClients(StoreOptions options, ObjectStore store) {
    this.options = options;
    this.store = store;
  }

  /** The client of a manifest, opened on first use. */
  synchronized Mps3Client client(String manifest, Protocol protocol) {
    if (closed) {
      throw new IllegalStateException("the console is stopping");
    }
    return open.computeIfAbsent(
        new ManifestFinder.Found(manifest, protocol),
        f -> options.client(store, null, f.manifest(), f.protocol()));
  }

  @Override
  public void close() {
    List<Mps3Client> clients;
    synchronized (this) {
      closed = true;
      clients = new ArrayList<>(open.values());
      open.clear();
    }
    for (Mps3Client client : clients) {
      client.close();
    }
  }
}
