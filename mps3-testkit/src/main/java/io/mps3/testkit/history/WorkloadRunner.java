package io.mps3.testkit.history;

import com.fasterxml.jackson.databind.JsonNode;
import io.mps3.Absent;
import io.mps3.DocumentChange;
import io.mps3.DocumentListener;
import io.mps3.Mps3AsyncClient;
import io.mps3.Mps3Config;
import io.mps3.Mps3Exception;
import io.mps3.Protocol;
import io.mps3.Subscription;
import io.mps3.spi.ObjectStore;
import io.mps3.testkit.FaultInjectingObjectStore;
import io.mps3.testkit.FaultInjectingObjectStore.Fault;
import io.mps3.testkit.SkewedClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Runs a seeded random {@link Workload} of several clients against one shared store and records the
 * {@link History}: each client is an {@link Mps3AsyncClient} over its own {@link
 * FaultInjectingObjectStore}, on its own thread, calling get, put, delete, putAll (two keys, one of
 * them maybe deleted) and subscribe/unsubscribe on the shared keys, each call waited for before the
 * next; under the strict protocol also compare-and-set, and gets by a new client (a cold read).
 * Values are unique: client {@code c}'s {@code n}-th operation writes {@code "c<c>-<n>"}.
 *
 * <p>Each client may have its own {@link SkewedClock} (see {@link Workload#clockSkew}); the store's
 * clock stays right, as a real store's does.
 *
 * <p>Afterwards the partition heals, the faults stop, and every client refreshes and reads every
 * key until all read the same state (or 20 s passed); the last round is the history's final state.
 * A failed write is recorded {@code UNKNOWN} (it may have landed), a failed read {@code FAILED}.
 *
 * <p>The seed fixes each client's decisions (operations, keys, think times) and each wrapper's
 * faults; which call meets which fault still depends on the threads' timing.
 */
public final class WorkloadRunner {

  private static final long CALL_TIMEOUT_SECONDS = 30;
  private static final Duration SETTLE = Duration.ofSeconds(20);

  private final Workload workload;
  private final long seed;
  private final Duration settleFor;
  private final History history = History.create();
  private final List<FaultInjectingObjectStore> stores = new ArrayList<>();
  private final List<Mps3AsyncClient> clients = new ArrayList<>();
  private final List<SkewedClock> clocks = new ArrayList<>();
  private final AtomicInteger subscriptions = new AtomicInteger();
  private final AtomicInteger subscriptionErrors = new AtomicInteger();
  private final AtomicInteger timeouts = new AtomicInteger();
  private String bucket = "";

  private WorkloadRunner(Workload workload, long seed, Duration settleFor) {
    this.workload = workload;
    this.seed = seed;
    this.settleFor = settleFor;
  }

  /**
   * Runs {@code workload} with {@code seed} on {@code store} (not closed here) in {@code bucket}.
   *
   * @throws IllegalStateException if a client's thread is still running after 5 minutes
   */
  public static WorkloadRun run(ObjectStore store, String bucket, Workload workload, long seed) {
    return run(store, bucket, workload, seed, SETTLE);
  }

  /**
   * As {@link #run(ObjectStore, String, Workload, long)}, waiting at most {@code settleFor} (not 20
   * s) for the clients to agree at the end: a broken store's clients may never agree.
   */
  public static WorkloadRun run(
      ObjectStore store, String bucket, Workload workload, long seed, Duration settleFor) {
    return new WorkloadRunner(workload, seed, settleFor).execute(store, bucket);
  }

  private WorkloadRun execute(ObjectStore store, String bucket) {
    this.bucket = bucket;
    String skews = skewClocks();
    for (int c = 0; c < workload.clients(); c++) {
      FaultInjectingObjectStore wrapper =
          FaultInjectingObjectStore.wrap(store, workload.plan(), seed * 1_000_003L + c);
      stores.add(wrapper);
      clients.add(Mps3AsyncClient.create(config(c)));
    }
    Random choice = new Random(seed);
    int cut = workload.partitionOneClient() ? choice.nextInt(workload.clients()) : -1;
    int quarter = Math.max(1, workload.operations() / 4);
    int from = quarter + choice.nextInt(quarter);
    String partition = cut < 0 ? "none" : "c" + cut + " ops " + from + ".." + (from + quarter);
    int stepped = workload.clockStep().isZero() ? -1 : choice.nextInt(workload.clients());
    if (stepped >= 0) {
      skews +=
          ", c"
              + stepped
              + " steps back "
              + workload.clockStep().toMillis()
              + " ms at op "
              + workload.operations() / 2;
    }
    try {
      List<Thread> threads = new ArrayList<>();
      for (int c = 0; c < workload.clients(); c++) {
        int id = c;
        int[] window = id == cut ? new int[] {from, from + quarter} : new int[] {-1, -1};
        boolean steps = id == stepped;
        Thread thread = new Thread(() -> work(id, window, steps), "workload-c" + c);
        thread.start();
        threads.add(thread);
      }
      for (Thread thread : threads) {
        thread.join(TimeUnit.MINUTES.toMillis(5));
        if (thread.isAlive()) {
          throw new IllegalStateException(thread.getName() + " still runs after 5 minutes");
        }
      }
      for (FaultInjectingObjectStore wrapper : stores) {
        wrapper.heal();
        wrapper.enable(false);
      }
      boolean settled = settle();
      Map<Fault, Long> faults = new EnumMap<>(Fault.class);
      for (FaultInjectingObjectStore wrapper : stores) {
        wrapper.injected().forEach((kind, n) -> faults.merge(kind, n, Long::sum));
      }
      return new WorkloadRun(
          seed,
          history,
          faults,
          partition,
          skews,
          subscriptionErrors.get(),
          timeouts.get(),
          settled);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } finally {
      clients.forEach(Mps3AsyncClient::close);
    }
  }

  /** Client {@code c}'s configuration: its store wrapper and clock. */
  private Mps3Config config(int c) {
    Mps3Config.Builder config =
        Mps3Config.builder()
            .store(stores.get(c))
            .bucket(bucket)
            .pollInterval(workload.pollInterval())
            .protocol(workload.protocol())
            .clock(clocks.get(c));
    if (workload.protocol() == Protocol.STRICT) {
      // The partitioned writer reports unknown outcomes after 1 s, not the default 30 s: the
      // campaign checks what they do to the history, not how long an outage can be ridden out.
      // A checkpoint every 4 entries: cold gets (below) then read segments and delta runs, and
      // cleanup deletes slots while others read them.
      config.outageTimeout(Duration.ofSeconds(1)).checkpointInterval(4);
    }
    return config.build();
  }

  /** Gives each client its clock, off by a seeded amount within the skew; describes them. */
  private String skewClocks() {
    long max = workload.clockSkew().toMillis();
    Random random = new Random(seed * 7 + 1);
    StringBuilder skews = new StringBuilder();
    for (int c = 0; c < workload.clients(); c++) {
      long skew = max == 0 ? 0 : random.nextLong() % (max + 1); // within plus or minus max
      clocks.add(new SkewedClock(Duration.ofMillis(skew)));
      skews.append(c == 0 ? "" : " ").append("c").append(c).append(String.format("%+d ms", skew));
    }
    return max == 0 ? "synchronized" : skews.toString();
  }

  /** One client's operations, on its own thread. */
  private void work(int c, int[] partitioned, boolean stepsBack) {
    Random random = new Random(seed * 31 + c);
    Mps3AsyncClient client = clients.get(c);
    Map<String, Subscription> subscribed = new HashMap<>();
    Map<String, @Nullable String> seen = new HashMap<>(); // the last value of each key it saw
    try {
      for (int n = 0; n < workload.operations(); n++) {
        if (stepsBack && n == workload.operations() / 2) {
          clocks.get(c).step(workload.clockStep().negated());
        }
        if (n == partitioned[0]) {
          stores.get(c).partition();
        } else if (n == partitioned[1]) {
          stores.get(c).heal();
        }
        String key = "k" + random.nextInt(workload.keys());
        String value = "c" + c + "-" + n;
        int kind = random.nextInt(100);
        if (kind < 10 && workload.protocol() == Protocol.STRICT) {
          seen.put(key, coldGet(c, key));
        } else if (kind < 30) {
          seen.put(key, get(c, client, key));
        } else if (kind < 58) {
          write(c, Call.put(key, value), () -> client.put(key, value));
        } else if (kind < 66) {
          write(c, Call.delete(key), () -> client.delete(key));
        } else if (kind < 84) {
          String other = "k" + random.nextInt(workload.keys());
          boolean delete = random.nextInt(4) == 0 && !other.equals(key);
          Map<String, @Nullable String> batch = new LinkedHashMap<>();
          Map<String, Object> values = new LinkedHashMap<>();
          batch.put(key, value);
          values.put(key, value);
          batch.put(other, delete ? null : value);
          values.put(other, delete ? Absent.ABSENT : value);
          write(c, Call.putAll(batch), () -> client.putAll(values));
        } else if (workload.protocol() == Protocol.STRICT && kind < 92) {
          String expected = random.nextInt(3) == 0 ? null : seen.get(key);
          compareAndSet(c, client, key, expected, value);
          seen.put(key, value);
        } else {
          toggle(c, client, key, subscribed);
        }
        boolean cut = stores.get(c).partitioned();
        Thread.sleep(cut ? 5 + random.nextInt(10) : random.nextInt(3));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private @Nullable String get(int c, Mps3AsyncClient client, String key)
      throws InterruptedException {
    int id = history.invoke(c, Call.get(key));
    Optional<JsonNode> value = await(client.get(key));
    if (value == null) {
      history.failed(id);
      return null;
    }
    String text = value.map(JsonNode::asText).orElse(null);
    history.read(id, text);
    return text;
  }

  /**
   * A get by a new client over client {@code c}'s store wrapper, closed after it: in the strict
   * protocol a cold read (design 0022) from whatever checkpoint and log the bucket holds then,
   * answered before its open, and that open closed while it may still run.
   */
  private @Nullable String coldGet(int c, String key) throws InterruptedException {
    Mps3AsyncClient fresh = Mps3AsyncClient.create(config(c));
    try {
      return get(c, fresh, key);
    } finally {
      fresh.close();
    }
  }

  /** A compare-and-set on the value, as a transaction (strict protocol only). */
  private void compareAndSet(
      int c, Mps3AsyncClient client, String key, @Nullable String expected, String value)
      throws InterruptedException {
    int id = history.invoke(c, Call.compareAndSet(key, expected, value));
    Boolean swapped =
        await(
            ((io.mps3.StrictAsyncClient) client)
                .transaction(
                    tx -> {
                      String current = tx.get(key).map(JsonNode::asText).orElse(null);
                      if (!java.util.Objects.equals(current, expected)) {
                        return false;
                      }
                      tx.put(key, value);
                      return true;
                    }));
    if (swapped == null) {
      history.unknown(id); // it may have committed before the failure
    } else {
      history.swapped(id, swapped);
    }
  }

  private void write(int c, Call call, Supplier<CompletableFuture<Void>> start)
      throws InterruptedException {
    int id = history.invoke(c, call); // before the call: it shows the write at once
    if (awaitDone(start.get())) {
      history.ok(id);
    } else {
      history.unknown(id);
    }
  }

  private void toggle(int c, Mps3AsyncClient client, String key, Map<String, Subscription> subs) {
    Subscription open = subs.remove(key);
    if (open != null) {
      int id = history.invoke(c, Call.unsubscribe(key));
      open.close();
      history.ok(id);
      return;
    }
    int sub = subscriptions.incrementAndGet();
    int id = history.invoke(c, Call.subscribe(key));
    subs.put(
        key,
        client.subscribe(
            key,
            new DocumentListener() {
              @Override
              public void onChange(DocumentChange change) {
                history.delivered(c, sub, key, change.value().map(JsonNode::asText).orElse(null));
              }

              @Override
              public void onError(Mps3Exception error) {
                subscriptionErrors.incrementAndGet();
              }
            }));
    history.ok(id);
  }

  /** Refreshes every client and reads every key until all agree; records the last round. */
  private boolean settle() throws InterruptedException {
    long deadline = System.nanoTime() + settleFor.toNanos();
    while (true) {
      List<Map<String, @Nullable String>> states = new ArrayList<>();
      for (int c = 0; c < clients.size(); c++) {
        await(clients.get(c).refresh());
        Map<String, @Nullable String> state = new LinkedHashMap<>();
        for (int k = 0; k < workload.keys(); k++) {
          int id = history.invoke(c, Call.get("k" + k));
          Optional<JsonNode> value = await(clients.get(c).get("k" + k));
          String text = value == null ? null : value.map(JsonNode::asText).orElse(null);
          if (value == null) {
            history.failed(id);
          } else {
            history.read(id, text);
          }
          state.put("k" + k, text);
        }
        states.add(state);
      }
      boolean agree = states.stream().distinct().count() == 1;
      if (agree || System.nanoTime() > deadline) {
        for (int c = 0; c < states.size(); c++) {
          history.finalState(c, states.get(c));
        }
        return agree;
      }
      Thread.sleep(50);
    }
  }

  /** The result, or null when the call failed or timed out. */
  private <T> @Nullable T await(CompletableFuture<T> future) throws InterruptedException {
    try {
      return future.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return null;
    } catch (TimeoutException e) {
      timeouts.incrementAndGet();
      return null;
    }
  }

  private boolean awaitDone(CompletableFuture<Void> future) throws InterruptedException {
    try {
      future.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return true;
    } catch (ExecutionException e) {
      return false;
    } catch (TimeoutException e) {
      timeouts.incrementAndGet();
      return false;
    }
  }
}
