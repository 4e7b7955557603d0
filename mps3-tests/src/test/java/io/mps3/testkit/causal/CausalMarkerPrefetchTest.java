package io.mps3.testkit.causal;

import static io.mps3.testkit.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import io.mps3.Mps3AsyncClient;
import io.mps3.Mps3Config;
import io.mps3.spi.GetOptions;
import io.mps3.spi.GetResult;
import io.mps3.spi.ListPage;
import io.mps3.spi.ListRequest;
import io.mps3.spi.ObjectStore;
import io.mps3.spi.PutOptions;
import io.mps3.store.CountingObjectStore;
import io.mps3.store.CountingObjectStore.Call;
import io.mps3.store.ObjectStores;
import io.mps3.testkit.ForwardingObjectStore;
import io.mps3.testkit.ManualClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A reader whose change marker changed reads the entry the marker names beside the LIST, not after
 * it: one round trip fewer for a get that follows another client's put, with the same requests.
 */
class CausalMarkerPrefetchTest {

  private static final String BUCKET = "prefetch";
  private static final String MANIFEST = "manifest.json";

  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-07T12:00:00Z"));
  private final ObjectStore memory = ObjectStores.inMemory(clock);
  private final HeldListing held = new HeldListing(memory);
  private final CountingObjectStore counted = CountingObjectStore.wrap(held);
  private final List<Mps3AsyncClient> clients = new ArrayList<>();

  @AfterEach
  void close() {
    clients.forEach(Mps3AsyncClient::close);
  }

  private Mps3AsyncClient client(ObjectStore store) {
    Mps3AsyncClient client =
        Mps3AsyncClient.create(
            Mps3Config.builder()
                .store(store)
                .bucket(BUCKET)
                .manifest(MANIFEST)
                .clock(clock)
                .pollInterval(Duration.ofHours(1))
                .disableAutoclean()
                .build());
    clients.add(client);
    return client;
  }

  @Test
  void theNamedEntry_isRequestedBeforeTheListAnswers_withTheSameRequests() {
    Mps3AsyncClient writer = client(memory);
    Mps3AsyncClient reader = client(counted);
    await(writer.put("k", 1));
    assertThat(await(reader.get("k"))).contains(IntNode.valueOf(1));
    clock.advance(Duration.ofMillis(500));
    await(writer.put("k", 2));

    held.holdListings();
    counted.reset();
    assertThat(await(reader.get("k"))).contains(IntNode.valueOf(2));
    // The LIST was answered only once the new entry's GET had been sent (or after 5 s: then the
    // GET came after it, and this fails).
    assertThat(held.entryGetBeforeListAnswered)
        .as("entry GET sent before the LIST answered")
        .isTrue();
    // marker GET, LIST, the new entry, the new content: as without the prefetch
    assertThat(counted.count(Call.GET)).isEqualTo(3);
    assertThat(counted.count(Call.LIST)).isEqualTo(1);
  }

  @Test
  void aMarkerNamingNoListedEntry_costsOneGet_andChangesNothing() {
    Mps3AsyncClient writer = client(memory);
    await(writer.put("k", 1));
    clock.advance(Duration.ofMillis(500));
    // A marker naming an entry that is not in the log (a writer that crashed, garbage).
    String missing = MANIFEST + "@000000000_zzzzzzzz_vv";
    await(
        memory.put(
            BUCKET,
            MANIFEST,
            ("\"" + missing + "\"").getBytes(StandardCharsets.UTF_8),
            PutOptions.unconditional()));
    Mps3AsyncClient reader = client(counted);
    assertThat(await(reader.get("k"))).contains(IntNode.valueOf(1));
    // marker GET, the named entry (absent), LIST, the one entry, the content
    assertThat(counted.count(Call.GET)).isEqualTo(4);
    assertThat(counted.count(Call.LIST)).isEqualTo(1);
  }

  /** A store whose LIST answers, once armed, only after an entry GET was sent (at most 5 s). */
  private static final class HeldListing extends ForwardingObjectStore {
    private volatile CompletableFuture<Void> entryGetSent = CompletableFuture.completedFuture(null);
    volatile boolean entryGetBeforeListAnswered;

    HeldListing(ObjectStore delegate) {
      super(delegate);
    }

    void holdListings() {
      entryGetSent = new CompletableFuture<>();
    }

    @Override
    public CompletableFuture<GetResult> get(String bucket, String key, GetOptions options) {
      if (key.startsWith(MANIFEST + "@")) {
        entryGetSent.complete(null);
      }
      return delegate.get(bucket, key, options);
    }

    @Override
    public CompletableFuture<ListPage> list(String bucket, ListRequest request) {
      CompletableFuture<Void> gate = entryGetSent;
      return delegate
          .list(bucket, request)
          .thenCombine(
              gate.copy().completeOnTimeout(null, 5, TimeUnit.SECONDS),
              (page, ignored) -> {
                entryGetBeforeListAnswered = gate.isDone();
                return page;
              });
    }
  }
}
