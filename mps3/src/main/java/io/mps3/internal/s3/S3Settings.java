package io.mps3.internal.s3;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;

/**
 * The validated settings of an S3 store.
 *
 * @param endpoint scheme, host and port, no path
 * @param pathStyle whether the bucket goes in the path ({@code host/bucket/key}) rather than the
 *     host name ({@code bucket.host/key})
 * @param callTimeout the deadline of one call, retries included: the only bound on its retries
 * @param retrying whether transient failures are retried at all (off: one attempt per call)
 */
public record S3Settings(
    URI endpoint,
    String region,
    IdentityProvider<? extends AwsCredentialsIdentity> credentials,
    boolean pathStyle,
    Duration connectTimeout,
    Duration requestTimeout,
    Duration callTimeout,
    boolean retrying,
    Duration retryBaseDelay,
    Duration retryMaxDelay) {}
