package io.mps3.testkit;

import java.util.Map;

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
 */
public record StoreTraits(
    boolean versioned,
    boolean atomicCreate,
    boolean atomicReplace,
    boolean lastModifiedMillis,
    boolean utf8ListOrder,
    boolean listsDeletedKeys,
    Map<String, String> rejectedKeys) {

  /** A store that does everything right, unversioned: the built-in local and in-memory stores. */
  public static StoreTraits complete() {
    return new StoreTraits(false, true, true, true, true, false, Map.of());
  }

  /** The same traits, versioned. */
  public StoreTraits withVersioning() {
    return new StoreTraits(
        true,
        atomicCreate,
        atomicReplace,
        lastModifiedMillis,
        utf8ListOrder,
        listsDeletedKeys,
        rejectedKeys);
  }

  /** The same traits, with racing creates that may have several winners. */
  public StoreTraits withRacyCreate() {
    return new StoreTraits(
        versioned,
        false,
        atomicReplace,
        lastModifiedMillis,
        utf8ListOrder,
        listsDeletedKeys,
        rejectedKeys);
  }

  /** The same traits, with racing replaces that may have several winners. */
  public StoreTraits withRacyReplace() {
    return new StoreTraits(
        versioned,
        atomicCreate,
        false,
        lastModifiedMillis,
        utf8ListOrder,
        listsDeletedKeys,
        rejectedKeys);
  }

  /** The same traits, with listed LastModified in whole seconds. */
  public StoreTraits withSecondsPrecision() {
    return new StoreTraits(
        versioned,
        atomicCreate,
        atomicReplace,
        false,
        utf8ListOrder,
        listsDeletedKeys,
        rejectedKeys);
  }

  /** The same traits, with listings in UTF-16 order (Java's {@code String} order). */
  public StoreTraits withUtf16ListOrder() {
    return new StoreTraits(
        versioned,
        atomicCreate,
        atomicReplace,
        lastModifiedMillis,
        false,
        listsDeletedKeys,
        rejectedKeys);
  }

  /** The same traits, with deleted keys still listed. */
  public StoreTraits withDeletedKeysListed() {
    return new StoreTraits(
        versioned,
        atomicCreate,
        atomicReplace,
        lastModifiedMillis,
        utf8ListOrder,
        true,
        rejectedKeys);
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
        keys);
  }
}
