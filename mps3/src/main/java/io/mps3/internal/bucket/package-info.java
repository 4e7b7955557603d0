/** Internal: not an API; may change in any release. */
@NullMarked
package io.mps3.internal.bucket;

import org.jspecify.annotations.NullMarked;
