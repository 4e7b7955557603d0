package io.mps3.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mps3.Mps3Client;
import io.mps3.Mps3Config;
import io.mps3.spi.ListRequest;
import io.mps3.spi.ObjectStore;
import io.mps3.spi.PutOptions;
import io.mps3.store.ObjectStores;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class MeteredObjectStoreTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private long requests(String operation, String outcome) {
    var timer =
        registry
            .find("mps3.store.requests")
            .tag("operation", operation)
            .tag("outcome", outcome)
            .timer();
    return timer == null ? 0 : timer.count();
  }

  private double counter(String name) {
    var counter = registry.find(name).counter();
    return counter == null ? 0 : counter.count();
  }

  private static <T> T await(CompletableFuture<T> f) {
    return f.join();
  }

  @Test
  void eachCall_isCountedByOperationAndOutcome_withTheBytesOfItsBodies() {
    try (ObjectStore store = MeteredObjectStore.of(ObjectStores.inMemory(), registry)) {
      byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
      await(store.put("bkt", "k", body, PutOptions.unconditional()));
      await(store.put("bkt", "k", body, PutOptions.ifAbsent())); // refused: it exists
      await(store.get("bkt", "k"));
      await(store.get("bkt", "missing"));
      await(store.head("bkt", "k"));
      await(store.list("bkt", ListRequest.prefix("")));
      await(store.delete("bkt", "k"));

      assertThat(requests("put", "written")).isEqualTo(1);
      assertThat(requests("put", "precondition_failed")).isEqualTo(1);
      assertThat(requests("get", "found")).isEqualTo(1);
      assertThat(requests("get", "not_found")).isEqualTo(1);
      assertThat(requests("head", "found")).isEqualTo(1);
      assertThat(requests("list", "ok")).isEqualTo(1);
      assertThat(requests("delete", "ok")).isEqualTo(1);
      assertThat(counter("mps3.store.bytes.sent")).isEqualTo(10); // both puts sent their body
      assertThat(counter("mps3.store.bytes.received")).isEqualTo(5);
    }
  }

  @Test
  void aFailedCall_isCountedUnderItsKind() {
    ObjectStore inner = ObjectStores.inMemory();
    ObjectStore store = MeteredObjectStore.of(inner, registry);
    store.close();

    assertThatThrownBy(() -> await(store.get("bkt", "k"))).isNotNull();

    assertThat(registry.find("mps3.store.requests").tag("operation", "get").timers())
        .singleElement()
        .satisfies(t -> assertThat(t.getId().getTag("outcome")).startsWith("error_"));
  }

  @Test
  void aClientsPut_showsAsTheThreePutsOfTheCausalProtocol() {
    try (ObjectStore store = MeteredObjectStore.of(ObjectStores.inMemory(), registry);
        Mps3Client client =
            Mps3Client.create(Mps3Config.builder().store(store).bucket("bkt").build())) {
      client.put("users/42", "Ada");

      // The value's content object, the log entry, the change marker (PROTOCOL part A).
      assertThat(requests("put", "written")).isEqualTo(3);
      assertThat(counter("mps3.store.bytes.sent")).isPositive();
    }
  }
}
