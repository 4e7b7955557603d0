/**
 * Recorded histories of clients working on one bucket, the workload runner that records them, and
 * the checkers that judge them: {@link io.mps3.testkit.history.CausalChecker} for the causal
 * protocol and {@link io.mps3.testkit.history.LinearizabilityChecker} for linearizable models.
 */
@NullMarked
package io.mps3.testkit.history;

import org.jspecify.annotations.NullMarked;
