/**
 * Test support for MPS3 and for anyone who writes a store: the contract suites, request-counting
 * and launchers for the real S3 servers the project tests against (S3Proxy in-process, Adobe S3Mock
 * as a child process), all on loopback with free ports.
 */
@NullMarked
package io.mps3.testkit;

import org.jspecify.annotations.NullMarked;
