package io.mps3.internal.causal;

import io.mps3.internal.causal.CausalLayout.EntryKey;
import io.mps3.spi.ObjectMetadata;

/** A log entry as a listing showed it: its parsed key and its metadata. */
record ListedEntry(EntryKey key, ObjectMetadata metadata) {}
