package io.mps3.testkit;

import io.mps3.spi.ObjectStore;

/**
 * What a contract suite tests: a store, a bucket of it that exists, and what the store is known to
 * do.
 */
public record ContractSubject(ObjectStore store, String bucket, StoreTraits traits) {}
