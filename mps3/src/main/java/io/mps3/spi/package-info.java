/**
 * The storage SPI: what MPS3 needs from a bucket, and what a store implementation must provide.
 *
 * <p>An {@link io.mps3.spi.ObjectStore} is a set of buckets of immutable-until-replaced objects, as
 * in S3. Expected outcomes (not found, not modified, precondition failed, outcome unknown) are
 * values; real failures are one unchecked {@link io.mps3.spi.ObjectStoreException} with a {@link
 * io.mps3.spi.ObjectStoreException.Kind kind}.
 *
 * <p>Also the metrics SPI: {@link io.mps3.spi.ClientMetrics}, where a client reports its calls,
 * commits, poll lag and levels, for a metrics library to record.
 */
@NullMarked
package io.mps3.spi;

import org.jspecify.annotations.NullMarked;
