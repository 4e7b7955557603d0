package io.mps3.testkit;

import io.mps3.Mps3AsyncClient;
import io.mps3.Mps3Config;
import io.mps3.Protocol;
import io.mps3.spi.ObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the client contracts share: the store under test, a manifest per test, and clients of it
 * that are closed after the test. Subclass {@link ClientContract} or {@link StrictClientContract}.
 */
public abstract class ClientContractBase {

  /** How long a change may take to reach another client in these tests (polls are 50 ms). */
  protected static final Duration SOON = Duration.ofSeconds(10);

  private static final AtomicInteger TESTS = new AtomicInteger();

  private final List<Mps3AsyncClient> clients = new ArrayList<>();

  /** This test's manifest. */
  protected String manifest = "";

  /** The store under test, shared by the clients. */
  protected abstract ObjectStore store();

  /** A bucket of the store that exists. */
  protected abstract String bucket();

  /** The protocol of every client (the strict contract overrides it). */
  protected Protocol protocol() {
    return Protocol.CAUSAL;
  }

  /** Adds store-specific options (versioned mode) to every client's configuration. */
  protected Mps3Config.Builder configure(Mps3Config.Builder builder) {
    return builder;
  }

  @BeforeEach
  final void newManifest() {
    manifest =
        "contract/m"
            + TESTS.incrementAndGet()
            + "-"
            + Long.toHexString(System.nanoTime())
            + ".json";
  }

  @AfterEach
  final void closeClients() {
    clients.forEach(Mps3AsyncClient::close);
    clients.clear();
  }

  /** A new client of this test's manifest, polling every 50 ms. */
  protected Mps3AsyncClient client() {
    return client(Clock.systemUTC(), builder -> builder);
  }

  /** A new client with its own clock and options. */
  protected Mps3AsyncClient client(
      Clock clock, java.util.function.UnaryOperator<Mps3Config.Builder> options) {
    Mps3AsyncClient client = Mps3AsyncClient.create(configuration(clock, options).build());
    clients.add(client);
    return client;
  }

  /** The configuration of this test's clients, with a clock and more options. */
  protected Mps3Config.Builder configuration(
      Clock clock, java.util.function.UnaryOperator<Mps3Config.Builder> options) {
    Mps3Config.Builder builder =
        Mps3Config.builder()
            .store(store())
            .bucket(bucket())
            .manifest(manifest)
            .pollInterval(Duration.ofMillis(50))
            .protocol(protocol())
            .clock(clock);
    return options.apply(configure(builder));
  }
}
