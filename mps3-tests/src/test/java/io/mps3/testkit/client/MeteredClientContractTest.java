package io.mps3.testkit.client;

import io.mps3.Mps3Config;
import io.mps3.spi.ClientMetrics;
import io.mps3.spi.ObjectStore;
import io.mps3.store.ObjectStores;
import io.mps3.testkit.ClientContract;

/**
 * The client contract with metrics that read the levels at every report and then throw: a recorder
 * may call back into the client, and its failures reach no caller.
 */
class MeteredClientContractTest extends ClientContract {

  private static final ObjectStore STORE = ObjectStores.inMemory();

  /** Reads both levels, then throws, at every report. */
  private static final ClientMetrics HOSTILE =
      client ->
          new ClientMetrics.Recorder() {
            @Override
            public void operation(
                String m, ClientMetrics.Operation o, ClientMetrics.Outcome outcome, long nanos) {
              hostile(client);
            }

            @Override
            public void commit(String manifest, ClientMetrics.CommitEvent event) {
              hostile(client);
            }

            @Override
            public void pollLag(String manifest, long millis) {
              hostile(client);
            }
          };

  private static void hostile(ClientMetrics.Client client) {
    if (client.pendingWrites() >= 0 && client.subscriptionBacklog() >= 0) {
      throw new IllegalStateException("a recorder that fails");
    }
  }

  @Override
  protected ObjectStore store() {
    return STORE;
  }

  @Override
  protected String bucket() {
    return "metered";
  }

  @Override
  protected Mps3Config.Builder configure(Mps3Config.Builder builder) {
    return builder.metrics(HOSTILE);
  }
}
