/** Internal: not an API; may change in any release. */
@NullMarked
package io.mps3.internal.manifest;

import org.jspecify.annotations.NullMarked;
