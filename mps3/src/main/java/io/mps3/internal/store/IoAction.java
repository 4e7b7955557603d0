package io.mps3.internal.store;

import java.io.IOException;

/** A piece of blocking file work. */
@FunctionalInterface
interface IoAction<T> {
  T run() throws IOException;
}
