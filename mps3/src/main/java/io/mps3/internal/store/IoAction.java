package io.mps3.internal.store;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/** A piece of blocking file work. */
@FunctionalInterface
interface IoAction<T> {
  // Nullable because work for a CompletableFuture<Void> returns null; NullAway's standard mode
  // (all JDK 17 allows) cannot express <T extends @Nullable Object>.
  @Nullable T run() throws IOException;
}
