package io.mps3.testkit;

import static io.mps3.testkit.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mps3.ErrorKind;
import io.mps3.Mps3AsyncClient;
import io.mps3.Mps3Config;
import io.mps3.Mps3Exception;
import io.mps3.Protocol;
import io.mps3.ReadOptions;
import io.mps3.StrictAsyncClient;
import io.mps3.Subscription;
import io.mps3.Versioned;
import io.mps3.WriteOptions;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * What a caller can rely on, whatever the protocol and the store: values handed out are the
 * caller's own copies, calls never throw, listeners may call the client and wait for other threads,
 * and clients of one configuration share nothing the caller did not give them.
 */
public abstract class ClientTrustContract extends ClientContractBase {

  // -- values are the caller's own --------------------------------------------------------------

  @Test
  void aValueFromGet_changedByTheCaller_changesNeitherLaterReadsNorTheBucket() {
    // Checkpoints every 2 entries in the strict protocol: a checkpoint writes the cached state.
    Mps3AsyncClient alice =
        client(Clock.systemUTC(), b -> protocol() == Protocol.STRICT ? b.checkpointInterval(2) : b);
    await(alice.put("doc", Map.of("title", "v1", "tags", List.of("a"))));

    ObjectNode mine = (ObjectNode) await(alice.get("doc")).orElseThrow();
    mine.put("title", "changed by the caller");
    ((ArrayNode) mine.get("tags")).add("x");
    ObjectNode converted = await(alice.get("doc", ObjectNode.class)).orElseThrow();
    converted.put("title", "changed through a conversion");
    for (int i = 0; i < 4; i++) {
      await(alice.put("other" + i, i)); // entries after it, and checkpoints of the strict log
    }

    assertThat(await(alice.get("doc")).orElseThrow().get("title").asText()).isEqualTo("v1");
    JsonNode fresh = await(client().get("doc")).orElseThrow();
    assertThat(fresh.get("title").asText()).isEqualTo("v1");
    assertThat(fresh.get("tags")).hasSize(1);
  }

  @Test
  void aValueWritten_thenChangedByTheCaller_isWrittenAsItWasWhenPut() {
    Mps3AsyncClient alice = client();
    ObjectNode doc = JsonNodeFactory.instance.objectNode().put("title", "as put");
    CompletableFuture<Void> put = alice.put("doc", doc);
    doc.put("title", "changed after the put");
    await(put);
    assertThat(await(alice.get("doc")).orElseThrow().get("title").asText()).isEqualTo("as put");
    assertThat(await(client().get("doc")).orElseThrow().get("title").asText()).isEqualTo("as put");
  }

  @Test
  void aValueDeliveredToAListener_changedByIt_changesNothingElse() {
    Mps3AsyncClient alice = client();
    await(alice.put("doc", Map.of("title", "v1")));
    Recorder seen = new Recorder();
    try (Subscription ignored =
        alice.subscribe(
            "doc",
            change -> {
              change.value().ifPresent(v -> ((ObjectNode) v).put("title", "changed by a listener"));
              seen.onChange(change);
            })) {
      seen.awaitCount(1, SOON);
      assertThat(seen.changes().get(0).value().orElseThrow().get("title").asText()).isEqualTo("v1");
      assertThat(await(alice.get("doc")).orElseThrow().get("title").asText()).isEqualTo("v1");
    }
    if (alice instanceof StrictAsyncClient strictAsyncClient) {
      Versioned versioned = await(strictAsyncClient.getVersioned("doc")).orElseThrow();
      ((ObjectNode) versioned.value()).put("title", "changed through a Versioned");
      assertThat(versioned.value().get("title").asText()).isEqualTo("v1");
      assertThat(await(alice.get("doc")).orElseThrow().get("title").asText()).isEqualTo("v1");
    }
  }

  /**
   * Jackson reads a fraction or an exponent as a {@code double} unless told otherwise: {@code
   * 1e400} became {@code Infinity}, written back as the string {@code "Infinity"}, and digits past
   * the 17th were lost, in another client's reads and (strict) in every checkpoint after it.
   */
  @Test
  void numbers_areReadBackExactly_byAnotherClient_andThroughCheckpoints() {
    Mps3AsyncClient alice =
        client(Clock.systemUTC(), b -> protocol() == Protocol.STRICT ? b.checkpointInterval(2) : b);
    Map<String, BigDecimal> numbers =
        Map.of(
            "huge", new BigDecimal("1e400"),
            "tiny", new BigDecimal("-2.5e-400"),
            "pi", new BigDecimal("3.14159265358979323846264338327950288"),
            "money", new BigDecimal("19.990"));
    await(alice.put("numbers", numbers));
    await(alice.put("floats", Map.of("f", 0.1f, "d", 0.1d))); // Java's types: their short form
    for (int i = 0; i < 4; i++) {
      await(alice.put("other" + i, i)); // and checkpoints of the strict log, which rewrite values
    }

    for (Mps3AsyncClient reader : List.of(alice, client())) {
      JsonNode read = await(reader.get("numbers")).orElseThrow();
      numbers.forEach(
          (name, number) -> {
            assertThat(read.get(name).isNumber()).as(name + " is a number").isTrue();
            assertThat(read.get(name).decimalValue()).as(name).isEqualTo(number);
          });
      JsonNode floats = await(reader.get("floats")).orElseThrow();
      assertThat(floats.get("f")).hasToString("0.1"); // not 0.10000000149011612
      assertThat(floats.get("d")).hasToString("0.1");
    }
  }

  /**
   * Readers parse the bucket within Jackson's read limits, so a value past one was acknowledged and
   * then skipped by every reader, lost; NaN was written as the string "NaN". Refused at the put.
   */
  @Test
  void aValueReadersCouldNotReadBack_isRefusedAtThePut_namingWhy() {
    Mps3AsyncClient alice = client();
    ArrayNode deep = JsonNodeFactory.instance.arrayNode();
    ArrayNode innermost = deep;
    for (int i = 0; i < 1_000; i++) {
      innermost = innermost.addArray();
    }
    Map<Object, String> refused =
        Map.of(
            new BigDecimal("1" + "0".repeat(1_500) + ".5"),
            "a number of 1502 digits",
            Double.NaN,
            "NaN",
            deep,
            "nests deeper than");
    refused.forEach(
        (value, why) ->
            assertThatThrownBy(() -> await(alice.put("doc", value)))
                .isInstanceOfSatisfying(
                    Mps3Exception.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID))
                .hasMessageContaining("value of doc")
                .hasMessageContaining(why));

    await(alice.put("after", 1));
    assertThat(await(client().get("after"))).contains(IntNode.valueOf(1));
    assertThat(await(client().get("doc"))).isEmpty();
  }

  // -- calls never throw ------------------------------------------------------------------------

  /**
   * Every call of the client's interface that returns a future, given an invalid key, returns a
   * future failed with {@link ErrorKind#INVALID}: it does not throw. Found by reflection, so a call
   * added later is checked too.
   */
  @Test
  void everyAsyncCall_withAnInvalidKey_failsItsFuture_insteadOfThrowing() throws Exception {
    Mps3AsyncClient alice = client();
    Class<?> api =
        alice instanceof StrictAsyncClient ? StrictAsyncClient.class : Mps3AsyncClient.class;
    List<String> checked = new ArrayList<>();
    for (Method method : api.getMethods()) {
      if (method.getReturnType() != CompletableFuture.class || !takesAKey(method)) {
        continue;
      }
      Object returned;
      try {
        returned = method.invoke(alice, invalidArguments(method));
      } catch (InvocationTargetException e) {
        throw new AssertionError(method + " threw instead of failing its future", e.getCause());
      }
      assertThatThrownBy(() -> await((CompletableFuture<?>) returned))
          .as(method.toString())
          .isInstanceOfSatisfying(
              Mps3Exception.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID));
      checked.add(method.getName());
    }
    assertThat(checked).contains("get", "put", "delete", "putAll");
    if (alice instanceof StrictAsyncClient) {
      assertThat(checked).contains("getVersioned", "create", "compareAndSet", "compareAndSetAll");
    }
  }

  @Test
  void calls_ofAClosedClient_failWithClosed_andCloseIsIdempotent() {
    Mps3AsyncClient alice = client();
    alice.close();
    assertThatCode(alice::close).doesNotThrowAnyException();
    assertThatThrownBy(() -> await(alice.put("k", 1)))
        .isInstanceOfSatisfying(
            Mps3Exception.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CLOSED));
    assertThatThrownBy(() -> await(alice.get("k")))
        .isInstanceOfSatisfying(
            Mps3Exception.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CLOSED));
  }

  private static boolean takesAKey(Method method) {
    for (Class<?> type : method.getParameterTypes()) {
      if (type == Map.class || (type == String.class && !method.getName().equals("keys"))) {
        return true;
      }
    }
    return false;
  }

  private static Object[] invalidArguments(Method method) {
    Class<?>[] types = method.getParameterTypes();
    Object[] args = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      Class<?> type = types[i];
      if (type == String.class) {
        args[i] = ""; // no key is empty
      } else if (type == Map.class) {
        args[i] = Map.of("", 1L);
      } else if (type == long.class) {
        args[i] = 1L;
      } else if (type == Object.class) {
        args[i] = 1;
      } else if (type == ReadOptions.class) {
        args[i] = ReadOptions.defaults();
      } else if (type == WriteOptions.class) {
        args[i] = WriteOptions.defaults();
      } else if (type == Class.class) {
        args[i] = String.class;
      } else if (type == Function.class) {
        args[i] = (Function<Object, Object>) tx -> null;
      } else {
        throw new AssertionError("no invalid argument of " + type + " for " + method);
      }
    }
    return args;
  }

  // -- listeners --------------------------------------------------------------------------------

  /**
   * A listener run on the thread that delivers (a direct executor) hands a write to another thread
   * and waits for it: nothing of the client may be locked while it runs.
   */
  @Test
  void aListenerOnADirectExecutor_mayWaitForAWriteOfAnotherThread() throws Exception {
    Mps3AsyncClient alice = client(Clock.systemUTC(), b -> b.callbackExecutor(Runnable::run));
    ExecutorService other = Executors.newSingleThreadExecutor();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Recorder seen = new Recorder();
    try (Subscription ignored =
        alice.subscribe(
            "ping",
            change -> {
              change
                  .value()
                  .ifPresent(
                      v -> {
                        try {
                          other
                              .submit(() -> await(alice.put("pong", v.asInt() + 1)))
                              .get(SOON.toMillis(), TimeUnit.MILLISECONDS);
                          seen.onChange(change);
                        } catch (Exception e) {
                          failure.set(e);
                        }
                      });
            })) {
      await(alice.put("ping", 1));
      seen.awaitCount(1, SOON);
      assertThat(failure.get()).isNull();
      assertThat(await(alice.get("pong"))).contains(IntNode.valueOf(2));
      assertThat(await(client().get("pong"))).contains(IntNode.valueOf(2));
    } finally {
      other.shutdownNow();
    }
  }

  @Test
  void aListenerOnADirectExecutor_mayCallTheClient() {
    Mps3AsyncClient alice = client(Clock.systemUTC(), b -> b.callbackExecutor(Runnable::run));
    AtomicReference<Optional<JsonNode>> readInside = new AtomicReference<>();
    Recorder seen = new Recorder();
    try (Subscription ignored =
        alice.subscribe(
            "k",
            change -> {
              readInside.set(await(alice.get("k")));
              seen.onChange(change);
            })) {
      await(alice.put("k", 7));
      seen.await(c -> c.value().equals(Optional.of(IntNode.valueOf(7))), SOON);
      assertThat(readInside.get()).contains(IntNode.valueOf(7));
    }
  }

  // -- resources --------------------------------------------------------------------------------

  @Test
  void twoClientsOfOneConfiguration_closingTheFirst_leavesTheSecondWorking() {
    Mps3Config config = configuration(Clock.systemUTC(), b -> b).build();
    Mps3AsyncClient first = Mps3AsyncClient.create(config);
    Mps3AsyncClient second = Mps3AsyncClient.create(config);
    try {
      await(first.put("k", 1));
      first.close();
      await(second.put("k", 2));
      assertThat(await(second.get("k"))).contains(IntNode.valueOf(2));
      assertThat(await(client().get("k"))).contains(IntNode.valueOf(2)); // the store is open
    } finally {
      first.close();
      second.close();
    }
  }
}
