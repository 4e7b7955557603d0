/**
 * The MPS3 gateway: an S3 endpoint for untrusted clients. It exchanges OpenID Connect ID tokens for
 * temporary credentials (STS {@code AssumeRoleWithWebIdentity}), checks every S3 request's SigV4
 * signature and the configured rules, and forwards what passes to the upstream store, re-signed
 * with the gateway's own credentials. See docs/design/0014-gateway.md.
 */
@NullMarked
package io.mps3.gateway;

import org.jspecify.annotations.NullMarked;
