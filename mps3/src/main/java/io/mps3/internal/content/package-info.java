/** Internal: not an API; may change in any release. */
@NullMarked
package io.mps3.internal.content;

import org.jspecify.annotations.NullMarked;
