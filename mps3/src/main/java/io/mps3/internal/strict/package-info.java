/**
 * Internal: the strict protocol (PROTOCOL.md part B): a log of numbered slots created with {@code
 * If-None-Match: *}, checkpoints, and the client side that commits and follows it. Not an API; may
 * change in any release.
 */
@NullMarked
package io.mps3.internal.strict;

import org.jspecify.annotations.NullMarked;
