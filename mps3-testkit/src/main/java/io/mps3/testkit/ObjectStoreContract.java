package io.mps3.testkit;

import static io.mps3.testkit.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mps3.spi.GetOptions;
import io.mps3.spi.GetResult;
import io.mps3.spi.ListPage;
import io.mps3.spi.ListRequest;
import io.mps3.spi.ObjectMetadata;
import io.mps3.spi.ObjectStore;
import io.mps3.spi.ObjectStoreException;
import io.mps3.spi.PutOptions;
import io.mps3.spi.PutOutcome;
import io.mps3.store.StoreProbe;
import io.mps3.store.StoreReport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The behaviour every {@link ObjectStore} must have, as a JUnit suite. Subclass it once per store
 * (and per server, for the S3 store) and give it the store, a bucket and the store's {@link
 * StoreTraits} as a {@link ContractSubject}; every test writes under a prefix of its own, so one
 * bucket serves the whole run.
 */
public abstract class ObjectStoreContract {

  /** Keys that must round-trip through put, get and list on every store (foundation issue). */
  public static final List<String> SPECIAL_KEYS =
      List.of(
          "&$@=;  :+,?",
          "\\{^}%]\">[~#|",
          "foo<Contents>",
          "é€😀",
          "a/b/../c",
          "x%2Fy",
          "a+b c",
          "ctl\u0001\u001f\u007f end",
          "tab\tnew\nline\r",
          "UPPER and lower",
          "dot.",
          "con",
          "trailing/");

  private static final AtomicInteger TESTS = new AtomicInteger();

  /** The prefix of this test's keys. */
  protected String prefix = "";

  /** The store under test, a bucket of it and its traits; the same for every test of a class. */
  protected abstract ContractSubject subject();

  /** The store under test. */
  protected final ObjectStore store() {
    return subject().store();
  }

  /** The bucket the tests write to. */
  protected final String bucket() {
    return subject().bucket();
  }

  /** What the store is known to do. */
  protected final StoreTraits traits() {
    return subject().traits();
  }

  @BeforeEach
  void newPrefix() {
    prefix =
        "contract-"
            + TESTS.incrementAndGet()
            + "-"
            + Long.toHexString(new Random().nextLong())
            + "/";
  }

  // -- reads and writes -------------------------------------------------------------------------

  @Test
  void put_thenGet_roundTripsEmptySmallAndLargeBodies() {
    byte[] large = new byte[5 * 1024 * 1024];
    new Random(42).nextBytes(large);
    Map<String, byte[]> bodies =
        Map.of("empty", new byte[0], "small", utf8("{\"hello\":\"world\"}"), "large", large);
    for (Map.Entry<String, byte[]> body : bodies.entrySet()) {
      String key = prefix + body.getKey();
      PutOutcome outcome =
          await(store().put(bucket(), key, body.getValue(), PutOptions.unconditional()));
      assertThat(outcome).isInstanceOf(PutOutcome.Written.class);
      assertThat(((PutOutcome.Written) outcome).etag()).isEqualTo(md5(body.getValue()));

      GetResult.Found found = found(key);
      assertThat(found.object().body()).isEqualTo(body.getValue());
      assertThat(found.object().metadata().size()).isEqualTo(body.getValue().length);
      assertThat(found.object().metadata().etag()).isEqualTo(md5(body.getValue()));
    }
  }

  @Test
  void get_missingKey_returnsNotFound() {
    assertThat(await(store().get(bucket(), prefix + "missing")))
        .isInstanceOf(GetResult.NotFound.class);
    assertThat(await(store().head(bucket(), prefix + "missing"))).isEmpty();
  }

  @Test
  void put_existingKey_replacesIt() {
    String key = prefix + "k";
    put(key, "one");
    put(key, "two");
    assertThat(text(found(key))).isEqualTo("two");
  }

  @Test
  void get_withCurrentEtag_returnsNotModified() {
    String key = prefix + "k";
    String etag = put(key, "one").etag();
    assertThat(await(store().get(bucket(), key, GetOptions.ifNoneMatch(etag))))
        .isInstanceOf(GetResult.NotModified.class);
    put(key, "two");
    GetResult changed = await(store().get(bucket(), key, GetOptions.ifNoneMatch(etag)));
    assertThat(changed).isInstanceOf(GetResult.Found.class);
    assertThat(text((GetResult.Found) changed)).isEqualTo("two");
  }

  @Test
  void head_returnsTheMetadataOfTheLatestWrite() {
    String key = prefix + "k";
    put(key, "one");
    PutOutcome.Written second = put(key, "second");
    ObjectMetadata metadata = await(store().head(bucket(), key)).orElseThrow();
    assertThat(metadata.etag()).isEqualTo(second.etag());
    assertThat(metadata.size()).isEqualTo(6);
  }

  @Test
  void lastModified_isNearTheServerDate_withTheStorePrecisionInListings() {
    for (int i = 0; i < 5; i++) {
      long started = System.nanoTime();
      PutOutcome.Written written = put(prefix + i, "v" + i);
      // Both are whole seconds, cut down, and taken at different moments of the request (stored,
      // answered): a busy server may spend any part of the call between them.
      Duration call = Duration.ofNanos(System.nanoTime() - started);
      ObjectMetadata metadata = await(store().head(bucket(), prefix + i)).orElseThrow();
      if (written.serverDate() != null) {
        assertThat(Duration.between(written.serverDate(), metadata.lastModified()).abs())
            .isLessThan(Duration.ofSeconds(2).plus(call));
      }
    }
    // The HTTP Last-Modified header has whole seconds; listings carry what the store keeps.
    boolean anyMillis =
        await(store().listAll(bucket(), prefix, null)).stream()
            .anyMatch(m -> m.lastModified().toEpochMilli() % 1000 != 0);
    assertThat(anyMillis)
        .as("listed LastModified has milliseconds (traits say %s)", traits().lastModifiedMillis())
        .isEqualTo(traits().lastModifiedMillis());
  }

  @Test
  void delete_removesTheObject_andDeletingAMissingOneSucceeds() {
    String key = prefix + "k";
    put(key, "one");
    await(store().delete(bucket(), key));
    assertThat(await(store().get(bucket(), key))).isInstanceOf(GetResult.NotFound.class);
    assertThat(await(store().head(bucket(), key))).isEmpty();
    assertListedAfterDelete(key);
    await(store().delete(bucket(), key));
    await(store().delete(bucket(), prefix + "never-written"));
  }

  // -- preconditions ----------------------------------------------------------------------------

  @Test
  void putIfAbsent_writesANewKey_andRefusesAnExistingOne() {
    String key = prefix + "k";
    assertThat(await(store().put(bucket(), key, utf8("first"), PutOptions.ifAbsent())))
        .isInstanceOf(PutOutcome.Written.class);
    PutOutcome second = await(store().put(bucket(), key, utf8("second"), PutOptions.ifAbsent()));
    if (traits().has(StoreTraits.Quirk.CREATE_IGNORED)) {
      assertThat(second)
          .as("this store ignores If-None-Match: *")
          .isInstanceOf(PutOutcome.Written.class);
      return;
    }
    assertThat(second).isInstanceOf(PutOutcome.PreconditionFailed.class);
    assertThat(text(found(key))).isEqualTo("first");
  }

  @Test
  void putIfMatch_replacesTheCurrentVersion_andRefusesAStaleOrMissingOne() {
    String key = prefix + "k";
    String first = put(key, "one").etag();
    PutOutcome replaced = await(store().put(bucket(), key, utf8("two"), PutOptions.ifMatch(first)));
    if (traits().has(StoreTraits.Quirk.REPLACE_ALWAYS_REFUSED)) {
      assertThat(replaced)
          .as("this store refuses If-Match even with the current ETag")
          .isInstanceOf(PutOutcome.PreconditionFailed.class);
      return;
    }
    assertThat(replaced).isInstanceOf(PutOutcome.Written.class);
    assertThat(await(store().put(bucket(), key, utf8("three"), PutOptions.ifMatch(first))))
        .isInstanceOf(PutOutcome.PreconditionFailed.class);
    assertThat(text(found(key))).isEqualTo("two");
    assertThat(
            await(store().put(bucket(), prefix + "missing", utf8("x"), PutOptions.ifMatch(first))))
        .isInstanceOf(PutOutcome.PreconditionFailed.class);
  }

  @Test
  void racingCreates_haveExactlyOneWinner_orTheProbeSaysTheyDoNot() {
    if (traits().atomicCreate()) {
      for (int round = 0; round < 5; round++) {
        String key = prefix + "race-" + round;
        assertThat(winners(race(key, PutOptions.ifAbsent(), 20)))
            .as("winners of round %d", round)
            .isEqualTo(1);
      }
    } else {
      // Only the race in question: on a store whose other writes hold, that race would run all
      // of its 100 rounds (128 MB) for nothing.
      StoreReport.RaceResult creates =
          StoreProbe.create().withRaces(20, 100).raceCreates(store(), bucket());
      assertThat(creates.atomic()).as("the probe reports racy creates: %s", creates).isFalse();
    }
  }

  @Test
  void racingReplaces_haveExactlyOneWinner_orTheProbeSaysTheyDoNot() {
    if (traits().atomicReplace()) {
      for (int round = 0; round < 5; round++) {
        String key = prefix + "race-" + round;
        String etag = put(key, "base").etag();
        assertThat(winners(race(key, PutOptions.ifMatch(etag), 20)))
            .as("winners of round %d", round)
            .isEqualTo(1);
      }
    } else {
      StoreReport.RaceResult replaces =
          StoreProbe.create().withRaces(20, 100).raceReplaces(store(), bucket());
      assertThat(replaces.atomic()).as("the probe reports racy replaces: %s", replaces).isFalse();
      if (traits().has(StoreTraits.Quirk.REPLACE_ALWAYS_REFUSED)) {
        assertThat(replaces)
            .as("a store refusing every racer is found in the first round")
            .extracting(StoreReport.RaceResult::rounds, StoreReport.RaceResult::mostWinners)
            .containsExactly(1, 0);
      }
    }
  }

  // -- listing ----------------------------------------------------------------------------------

  @Test
  void list_followsPrefixStartAfterAndMaxKeys() {
    for (String name : List.of("a", "b", "c", "d", "e")) {
      put(prefix + "in/" + name, name);
    }
    put(prefix + "out", "x");
    ListPage page =
        await(
            store()
                .list(
                    bucket(),
                    ListRequest.prefix(prefix + "in/")
                        .withStartAfter(prefix + "in/a")
                        .withMaxKeys(2)));
    assertThat(keys(page.objects())).containsExactly("in/b", "in/c");
    assertThat(page.nextContinuationToken()).isNotNull();
    ListPage next =
        await(
            store()
                .list(
                    bucket(),
                    ListRequest.prefix(prefix + "in/")
                        .withStartAfter(prefix + "in/a")
                        .withMaxKeys(2)
                        .withContinuationToken(page.nextContinuationToken())));
    assertThat(keys(next.objects())).containsExactly("in/d", "in/e");
    assertThat(next.nextContinuationToken()).isNull();
    assertThat(keys(await(store().listAll(bucket(), prefix, null))))
        .containsExactly("in/a", "in/b", "in/c", "in/d", "in/e", "out");
  }

  @Test
  void listAll_pagesThroughMoreThanAThousandKeys() {
    int count = 1003;
    List<CompletableFuture<PutOutcome>> puts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      puts.add(
          store()
              .put(
                  bucket(),
                  prefix + String.format("%05d", i),
                  utf8("v"),
                  PutOptions.unconditional()));
      if (puts.size() == 32) {
        puts.forEach(Futures::await);
        puts.clear();
      }
    }
    puts.forEach(Futures::await);
    List<ObjectMetadata> all = await(store().listAll(bucket(), prefix, null));
    assertThat(all).hasSize(count);
    assertThat(keys(all))
        .isEqualTo(
            IntStream.range(0, count)
                .mapToObj(i -> String.format("%05d", i))
                .collect(Collectors.toList()));
  }

  @Test
  void list_ordersKeysByTheirUtf8Bytes_orByUtf16WhereTheStoreDoes() {
    // UTF-16 order puts the emoji (a surrogate pair) before U+FFFD; UTF-8 order after.
    List<String> utf8Order = List.of("a", "b", "z~", "é", "€", "\uFFFD", "😀");
    List<String> utf16Order = List.of("a", "b", "z~", "é", "€", "😀", "\uFFFD");
    for (String name : utf8Order) {
      put(prefix + name, name);
    }
    assertThat(keys(await(store().listAll(bucket(), prefix, null))))
        .as("listing order (traits: UTF-8 order %s)", traits().utf8ListOrder())
        .containsExactlyElementsOf(traits().utf8ListOrder() ? utf8Order : utf16Order);
  }

  // -- keys -------------------------------------------------------------------------------------

  static List<String> specialKeys() {
    return SPECIAL_KEYS;
  }

  @ParameterizedTest
  @MethodSource("specialKeys")
  void specialKey_roundTripsThroughPutGetAndList(String name) {
    String key = prefix + name;
    String rejection = traits().rejectedKeys().get(name);
    if (rejection != null) {
      assertThatThrownBy(() -> roundTrip(key, name))
          .as("this store is known not to round-trip %s: %s", name, rejection)
          .isInstanceOf(ObjectStoreException.class);
      return;
    }
    roundTrip(key, name);
  }

  private void roundTrip(String key, String name) {
    put(key, "value of " + name);
    assertThat(text(found(key))).isEqualTo("value of " + name);
    assertThat(keys(await(store().listAll(bucket(), prefix, null)))).containsExactly(name);
    await(store().delete(bucket(), key));
    assertListedAfterDelete(key);
  }

  private void assertListedAfterDelete(String key) {
    List<String> listed = keys(await(store().listAll(bucket(), prefix, null)));
    if (traits().listsDeletedKeys()) {
      assertThat(listed)
          .as("this store still lists deleted keys")
          .contains(key.substring(prefix.length()));
    } else {
      assertThat(listed).doesNotContain(key.substring(prefix.length()));
    }
  }

  @Test
  void longestKey_roundTrips_andALongerOneFailsBeforeAnyRequest() {
    String longest = prefix + "k".repeat(1024 - prefix.length());
    if (traits().has(StoreTraits.Quirk.LONGEST_KEY_REFUSED)) {
      assertThatThrownBy(() -> put(longest, "long"))
          .as("this store refuses 1024-byte keys")
          .isInstanceOf(ObjectStoreException.class);
      return;
    }
    put(longest, "long");
    assertThat(text(found(longest))).isEqualTo("long");
    assertThat(keys(await(store().listAll(bucket(), prefix, null)))).hasSize(1);

    String tooLong = longest + "k";
    assertThatThrownBy(() -> store().get(bucket(), tooLong))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1025 UTF-8 bytes, at most 1024");
    assertThatThrownBy(() -> store().put(bucket(), "", utf8("x"), PutOptions.unconditional()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
  }

  // -- versioning -------------------------------------------------------------------------------

  @Test
  void versioning_keepsOldVersionsReadable_orWritesCarryNoVersionId() {
    String key = prefix + "k";
    PutOutcome.Written first = put(key, "one");
    PutOutcome.Written second = put(key, "two");
    if (!traits().versioned()) {
      assertThat(first.versionId()).as("unversioned store").isNull();
      return;
    }
    assertThat(first.versionId()).isNotNull().isNotEqualTo(second.versionId());
    await(store().delete(bucket(), key));
    assertThat(await(store().get(bucket(), key))).isInstanceOf(GetResult.NotFound.class);
    GetResult old = await(store().get(bucket(), key, GetOptions.version(first.versionId())));
    assertThat(old).isInstanceOf(GetResult.Found.class);
    assertThat(text((GetResult.Found) old)).isEqualTo("one");
    assertThat(((GetResult.Found) old).object().metadata().versionId())
        .isEqualTo(first.versionId());
  }

  // -- helpers ----------------------------------------------------------------------------------

  /** Writes a string, expecting success. */
  protected PutOutcome.Written put(String key, String value) {
    PutOutcome outcome =
        await(
            store()
                .put(
                    bucket(),
                    key,
                    utf8(value),
                    PutOptions.unconditional().withContentType(PutOptions.JSON)));
    assertThat(outcome).isInstanceOf(PutOutcome.Written.class);
    return (PutOutcome.Written) outcome;
  }

  /** Reads a key, expecting it to be there. */
  protected GetResult.Found found(String key) {
    GetResult result = await(store().get(bucket(), key));
    assertThat(result).as("get %s", key).isInstanceOf(GetResult.Found.class);
    return (GetResult.Found) result;
  }

  private List<PutOutcome> race(String key, PutOptions options, int racers) {
    List<CompletableFuture<PutOutcome>> racing = new ArrayList<>();
    for (int i = 0; i < racers; i++) {
      racing.add(store().put(bucket(), key, utf8("racer " + i), options));
    }
    return racing.stream().map(Futures::await).collect(Collectors.toList());
  }

  private static long winners(List<PutOutcome> outcomes) {
    return outcomes.stream().filter(o -> o instanceof PutOutcome.Written).count();
  }

  private List<String> keys(List<ObjectMetadata> objects) {
    return objects.stream()
        .map(m -> m.key().substring(prefix.length()))
        .collect(Collectors.toList());
  }

  private static String text(GetResult.Found found) {
    return new String(found.object().body(), StandardCharsets.UTF_8);
  }

  private static String md5(byte[] body) {
    try {
      return java.util.HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("MD5").digest(body));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
