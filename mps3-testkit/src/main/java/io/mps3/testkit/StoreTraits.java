package io.mps3.testkit;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a store under contract test is known to do, so the suite checks exactly that, by name,
 * instead of skipping what a server lacks. A trait that stops being true fails the suite, and the
 * README's store table is updated with it.
 *
 * @param versioned whether writes return version ids and old versions stay readable
 * @param atomicCreate whether racing {@code If-None-Match: *} creates have exactly one winner
 * @param atomicReplace whether racing {@code If-Match} replaces have exactly one winner
 * @param lastModifiedMillis whether listed LastModified times have milliseconds
 * @param utf8ListOrder whether listings follow UTF-8 byte order as S3 does (else UTF-16 order)
 * @param listsDeletedKeys whether a deleted key is still listed (S3Mock, versioned buckets)
 * @param rejectedKeys keys the store cannot round-trip, each with why (checked to fail loudly)
 * @param quirks rarer misbehaviours, each asserted to be there
 */
public record StoreTraits(
    boolean versioned,
    boolean atomicCreate,
    boolean atomicReplace,
    boolean lastModifiedMillis,
    boolean utf8ListOrder,
    boolean listsDeletedKeys,
    Map<String, String> rejectedKeys,
    Set<Quirk> quirks) {

  /** Misbehaviours of some servers, asserted where a store declares them. */
  public enum Quirk {
    /** {@code If-None-Match: *} is ignored: a create of an existing key replaces it. */
    CREATE_IGNORED,
    /** {@code If-Match} refuses even the current ETag. */
    REPLACE_ALWAYS_REFUSED,
    /** A key of the full 1024 bytes is refused. */
    LONGEST_KEY_REFUSED
  }

  /** A store that does everything right, unversioned: the built-in local and in-memory stores. */
  public static StoreTraits complete() {
    return new StoreTraits(false, true, true, true, true, false, Map.of(), Set.of());
  }

  /** The same traits, versioned. */
  public StoreTraits withVersioning() {
    return copy(
        true, atomicCreate, atomicReplace, lastModifiedMillis, utf8ListOrder, listsDeletedKeys);
  }

  /** The same traits, with racing creates that may have several winners. */
  public StoreTraits withRacyCreate() {
    return copy(
        versioned, false, atomicReplace, lastModifiedMillis, utf8ListOrder, listsDeletedKeys);
  }

  /** The same traits, with racing replaces that may have several winners. */
  public StoreTraits withRacyReplace() {
    return copy(
        versioned, atomicCreate, false, lastModifiedMillis, utf8ListOrder, listsDeletedKeys);
  }

  /** The same traits, with listed LastModified in whole seconds. */
  public StoreTraits withSecondsPrecision() {
    return copy(versioned, atomicCreate, atomicReplace, false, utf8ListOrder, listsDeletedKeys);
  }

  /** The same traits, with listings in UTF-16 order (Java's {@code String} order). */
  public StoreTraits withUtf16ListOrder() {
    return copy(
        versioned, atomicCreate, atomicReplace, lastModifiedMillis, false, listsDeletedKeys);
  }

  /** The same traits, with deleted keys still listed. */
  public StoreTraits withDeletedKeysListed() {
    return copy(versioned, atomicCreate, atomicReplace, lastModifiedMillis, utf8ListOrder, true);
  }

  /** The same traits, with keys the store cannot round-trip. */
  public StoreTraits withRejectedKeys(Map<String, String> keys) {
    return new StoreTraits(
        versioned,
        atomicCreate,
        atomicReplace,
        lastModifiedMillis,
        utf8ListOrder,
        listsDeletedKeys,
        Map.copyOf(keys),
        quirks);
  }

  /** The same traits with more quirks. */
  public StoreTraits withQuirks(Quirk... more) {
    Set<Quirk> all = EnumSet.noneOf(Quirk.class);
    all.addAll(quirks);
    all.addAll(List.of(more));
    return new StoreTraits(
        versioned,
        atomicCreate,
        atomicReplace,
        lastModifiedMillis,
        utf8ListOrder,
        listsDeletedKeys,
        rejectedKeys,
        Set.copyOf(all));
  }

  /** Whether the store has a quirk. */
  public boolean has(Quirk quirk) {
    return quirks.contains(quirk);
  }

  private StoreTraits copy(
      boolean v, boolean create, boolean replace, boolean millis, boolean utf8, boolean deleted) {
    return new StoreTraits(v, create, replace, millis, utf8, deleted, rejectedKeys, quirks);
  }
}
