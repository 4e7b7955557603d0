/**
 * Benchmarks of MPS3: requests per operation, latency and throughput against every store. They
 * report and never assert; {@code mps3-bench/run.sh} builds and runs one, and {@code
 * docs/BENCHMARKS.md} holds the latest numbers.
 */
@NullMarked
package io.mps3.bench;

import org.jspecify.annotations.NullMarked;
