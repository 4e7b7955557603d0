package io.mps3.store;

import io.mps3.spi.GetOptions;
import io.mps3.spi.GetResult;
import io.mps3.spi.ListPage;
import io.mps3.spi.ListRequest;
import io.mps3.spi.ObjectMetadata;
import io.mps3.spi.ObjectStore;
import io.mps3.spi.PutOptions;
import io.mps3.spi.PutOutcome;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A store that counts the calls made through it, per {@link Call kind}, and passes each one to the
 * store it wraps unchanged. A call counts when it is made, whether or not it succeeds. {@link
 * #listAll} is not overridden, so each page it reads counts as one {@link Call#LIST}.
 *
 * <p>This counts calls of the {@link ObjectStore} SPI, not HTTP requests: an S3 store that retries
 * inside one call sends more requests than it is counted for. Build such a store with one attempt
 * per call when the two must agree.
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public final class CountingObjectStore implements ObjectStore {

  /** The kinds of call counted, one per method of the SPI. */
  public enum Call {
    /** {@link ObjectStore#get(String, String, GetOptions)}, conditional or not. */
    GET,
    /** {@link ObjectStore#put}, conditional or not. */
    PUT,
    /** {@link ObjectStore#head}. */
    HEAD,
    /** {@link ObjectStore#delete}. */
    DELETE,
    /** {@link ObjectStore#list}: one page. */
    LIST
  }

  private final ObjectStore delegate;
  // Filled once in the constructor and never changed after, so reading it needs no lock.
  private final Map<Call, AtomicLong> counts = new EnumMap<>(Call.class);
  private final AtomicLong bytesPut = new AtomicLong();

  private CountingObjectStore(ObjectStore delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    for (Call call : Call.values()) {
      counts.put(call, new AtomicLong());
    }
  }

  /**
   * Wraps a store; closing the wrapper closes it.
   *
   * @param delegate the store whose calls are counted and passed on; not null
   * @return the counting wrapper, every count at zero
   */
  public static CountingObjectStore wrap(ObjectStore delegate) {
    return new CountingObjectStore(delegate);
  }

  /**
   * The calls of one kind made since creation or the last {@link #reset()}.
   *
   * @param call the kind of call
   * @return how many were made
   */
  public long count(Call call) {
    return counter(call).get();
  }

  /** {@return the calls of every kind made since creation or the last {@link #reset()}} */
  public long total() {
    long sum = 0;
    for (AtomicLong count : counts.values()) {
      sum += count.get();
    }
    return sum;
  }

  /** {@return the counts by kind, every kind included: a copy} */
  public Map<Call, Long> counts() {
    Map<Call, Long> copy = new EnumMap<>(Call.class);
    for (Call call : Call.values()) {
      copy.put(call, count(call));
    }
    return copy;
  }

  /** {@return the bytes of every body put since creation or the last {@link #reset()}} */
  public long bytesPut() {
    return bytesPut.get();
  }

  /** Sets every count to zero. */
  public void reset() {
    bytesPut.set(0);
    counts.values().forEach(count -> count.set(0));
  }

  @Override
  public CompletableFuture<GetResult> get(String bucket, String key, GetOptions options) {
    counter(Call.GET).incrementAndGet();
    return delegate.get(bucket, key, options);
  }

  @Override
  public CompletableFuture<PutOutcome> put(
      String bucket, String key, byte[] body, PutOptions options) {
    counter(Call.PUT).incrementAndGet();
    bytesPut.addAndGet(body.length);
    return delegate.put(bucket, key, body, options);
  }

  @Override
  public CompletableFuture<Optional<ObjectMetadata>> head(String bucket, String key) {
    counter(Call.HEAD).incrementAndGet();
    return delegate.head(bucket, key);
  }

  @Override
  public CompletableFuture<Void> delete(String bucket, String key) {
    counter(Call.DELETE).incrementAndGet();
    return delegate.delete(bucket, key);
  }

  @Override
  public CompletableFuture<ListPage> list(String bucket, ListRequest request) {
    counter(Call.LIST).incrementAndGet();
    return delegate.list(bucket, request);
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return "counting " + delegate;
  }

  private AtomicLong counter(Call call) {
    return Objects.requireNonNull(counts.get(call), "every kind has a counter");
  }
}
