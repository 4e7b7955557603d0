/**
 * MPS3: a multiplayer key-value document database in any S3-compatible bucket.
 *
 * <p>Start with {@link io.mps3.Mps3Config#builder()} and {@link io.mps3.Mps3Client#create}.
 */
@NullMarked
package io.mps3;

import org.jspecify.annotations.NullMarked;
