package io.mps3.testkit;

import java.util.Map;

/**
 * What a store under contract test is known to do, so the suite checks exactly that, by name,
 * instead of skipping what a server lacks.
 *
 * @param versioned whether writes return version ids and old versions stay readable
 * @param atomicCreate whether racing {@code If-None-Match: *} creates have exactly one winner
 * @param atomicReplace whether racing {@code If-Match} replaces have exactly one winner
 * @param lastModifiedMillis whether LastModified has milliseconds
 * @param rejectedKeys keys the store refuses, each with why (checked to fail)
 */
public record StoreTraits(
    boolean versioned,
    boolean atomicCreate,
    boolean atomicReplace,
    boolean lastModifiedMillis,
    Map<String, String> rejectedKeys) {

  /** A store that does everything right, unversioned: the built-in local and in-memory stores. */
  public static StoreTraits complete() {
    return new StoreTraits(false, true, true, true, Map.of());
  }

  /** The same traits, versioned. */
  public StoreTraits withVersioning() {
    return new StoreTraits(true, atomicCreate, atomicReplace, lastModifiedMillis, rejectedKeys);
  }

  /** The same traits, with racing creates that may have several winners. */
  public StoreTraits withRacyCreate() {
    return new StoreTraits(versioned, false, atomicReplace, lastModifiedMillis, rejectedKeys);
  }

  /** The same traits, with racing replaces that may have several winners. */
  public StoreTraits withRacyReplace() {
    return new StoreTraits(versioned, atomicCreate, false, lastModifiedMillis, rejectedKeys);
  }

  /** The same traits, with LastModified in whole seconds. */
  public StoreTraits withSecondsPrecision() {
    return new StoreTraits(versioned, atomicCreate, atomicReplace, false, rejectedKeys);
  }

  /** The same traits, with keys the store refuses. */
  public StoreTraits withRejectedKeys(Map<String, String> keys) {
    return new StoreTraits(versioned, atomicCreate, atomicReplace, lastModifiedMillis, keys);
  }
}
