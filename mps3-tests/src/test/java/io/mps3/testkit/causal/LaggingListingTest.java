package io.mps3.testkit.causal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import io.mps3.Mps3AsyncClient;
import io.mps3.Mps3Config;
import io.mps3.spi.ObjectStore;
import io.mps3.store.ObjectStores;
import io.mps3.testkit.FaultInjectingObjectStore;
import io.mps3.testkit.FaultInjectingObjectStore.Plan;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The smallest reproduction of what {@link CausalHistoryCampaignTest} found under lagging listings:
 * a client that adopted whatever its latest LIST resolved to went back, even behind its own
 * acknowledged write, when a LIST did not yet show recent entries (as an eventually consistent
 * listing index answers). PROTOCOL.md A6 promises a view that only moves forward; the client now
 * keeps the entries it listed or wrote lately and adds those a listing leaves out.
 */
class LaggingListingTest {

  @Test
  void get_afterOwnAcknowledgedPut_whileListingsLag_returnsThePut() {
    ObjectStore shared = ObjectStores.inMemory();
    Plan lagging = new Plan(0, 0, 0, Duration.ZERO).withDelayedListing(1, Duration.ofHours(1));
    try (Mps3AsyncClient a = client(FaultInjectingObjectStore.wrap(shared, lagging, 1));
        Mps3AsyncClient b = client(shared)) {
      a.put("k", "mine").join(); // acknowledged: the entry is in the bucket
      b.put("other", "theirs").join(); // changes the marker, so a's next read lists again

      assertThat(a.get("k").join()).contains(TextNode.valueOf("mine"));
    }
  }

  private static Mps3AsyncClient client(ObjectStore store) {
    return Mps3AsyncClient.create(Mps3Config.builder().store(store).bucket("lagging").build());
  }
}
