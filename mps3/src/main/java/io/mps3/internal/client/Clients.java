package io.mps3.internal.client;

import io.mps3.Mps3AsyncClient;
import io.mps3.Mps3Config;
import io.mps3.Protocol;
import io.mps3.StrictAsyncClient;
import io.mps3.internal.causal.CausalManifests;
import io.mps3.internal.journal.WriteJournal;
import io.mps3.internal.strict.StrictManifests;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Opens clients: the one place that picks a protocol's implementation. */
public final class Clients {

  private Clients() {}

  /** A client of the configuration's protocol (a {@link StrictAsyncClient} for the strict one). */
  public static Mps3AsyncClient open(Mps3Config config) {
    Objects.requireNonNull(config, "config");
    return config.protocol() == Protocol.STRICT ? openStrict(config) : openCausal(config);
  }

  /**
   * A client of the strict protocol.
   *
   * @throws IllegalArgumentException when the configuration is of another protocol
   */
  public static StrictAsyncClient openStrict(Mps3Config config) {
    Objects.requireNonNull(config, "config");
    if (config.protocol() != Protocol.STRICT) {
      throw new IllegalArgumentException(
          "a strict client needs a configuration of the strict protocol: build it with"
              + " Mps3Config.builder().strictProtocol(), not "
              + config.protocol());
    }
    ClientResources resources = new ClientResources(config);
    return new DefaultStrictClient(config, resources, new StrictManifests(config, resources));
  }

  private static Mps3AsyncClient openCausal(Mps3Config config) {
    ClientResources resources = new ClientResources(config);
    @Nullable WriteJournal journal = null;
    try {
      journal = config.journalDirectory().map(WriteJournal::open).orElse(null);
    } catch (RuntimeException e) {
      resources.markClosed();
      resources.close(); // a journal held by another client: close what was opened, then fail
      throw e;
    }
    CausalManifests manifests =
        new CausalManifests(
            config,
            resources.store,
            resources.session,
            resources.contents,
            resources.scheduler,
            resources.reads,
            resources.deliveries,
            journal,
            resources.metrics);
    DefaultMps3Client client = new DefaultMps3Client(config, resources, manifests);
    manifests.replayJournal();
    return client;
  }
}
