package io.mps3.testkit.issues;

import io.mps3.DocumentChange;
import io.mps3.DocumentListener;
import io.mps3.Mps3Client;
import io.mps3.Mps3Exception;
import io.mps3.Subscription;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A subscriber of an outage test: one subscription per key of some writers, recording the last
 * value each key showed, values that went back (a writer's writes out of its order: the
 * subscription promise broken), and the failures reported to {@code onError}. Thread-safe.
 */
final class OutageSubscriber implements AutoCloseable {

  final String name;
  private final List<Subscription> subscriptions = new ArrayList<>();
  private final Map<String, Integer> last = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> highestOfWriter = new ConcurrentHashMap<>();
  private final List<String> regressions = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger changes = new AtomicInteger();
  final FailureTally errors = new FailureTally();

  OutageSubscriber(String name, Mps3Client client, List<String> writers) {
    this.name = name;
    for (String writer : writers) {
      AtomicInteger highest = new AtomicInteger();
      highestOfWriter.put(writer, highest);
      for (int k = 0; k < OutageWriter.KEYS; k++) {
        subscriptions.add(client.subscribe(OutageWriter.key(writer, k), listener(highest)));
      }
    }
  }

  private DocumentListener listener(AtomicInteger highestOfItsWriter) {
    return new DocumentListener() {
      @Override
      public void onChange(DocumentChange change) {
        changes.incrementAndGet();
        int value = change.as(Integer.class).orElse(0);
        Integer before = last.put(change.key(), value);
        if (before != null && value < before) {
          regressions.add(change.key() + ": " + before + " then " + value);
        }
        highestOfItsWriter.accumulateAndGet(value, Math::max);
      }

      @Override
      public void onError(Mps3Exception error) {
        errors.add(error);
      }
    };
  }

  /** {@return the highest value seen of a writer's keys} */
  int highestSeen(String writer) {
    return Objects.requireNonNull(highestOfWriter.get(writer), writer).get();
  }

  /** {@return the last value each key showed} */
  Map<String, Integer> lastValues() {
    return Map.copyOf(last);
  }

  List<String> regressions() {
    return List.copyOf(regressions);
  }

  int changes() {
    return changes.get();
  }

  @Override
  public void close() {
    subscriptions.forEach(Subscription::close);
  }
}
