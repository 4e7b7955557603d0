package io.mps3.gateway;

import java.util.List;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/** Adds each request an AWS SDK client sends, as transmitted, to a list the test reads. */
final class SentRequests implements ExecutionInterceptor {

  private final List<SdkHttpRequest> sent;

  SentRequests(List<SdkHttpRequest> sent) {
    this.sent = sent;
  }

  @Override
  public void beforeTransmission(
      Context.BeforeTransmission context, ExecutionAttributes attributes) {
    sent.add(context.httpRequest());
  }
}
