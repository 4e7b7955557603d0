/** Internal: not an API; may change in any release. */
@NullMarked
package io.mps3.internal.causal;

import org.jspecify.annotations.NullMarked;
