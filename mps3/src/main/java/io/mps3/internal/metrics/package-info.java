/** Internal: not an API; may change in any release. */
@NullMarked
package io.mps3.internal.metrics;

import org.jspecify.annotations.NullMarked;
