package io.mps3.internal.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.mps3.ErrorKind;
import io.mps3.Mps3Exception;
import io.mps3.spi.ObjectStoreException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

class ErrorsTest {

  @Test
  void aTaskRejectedBecauseTheClientClosed_isReportedAsClosed_notAsAnInternalError() {
    Mps3Exception e =
        Errors.translate(new CompletionException(new RejectedExecutionException("shut down")));

    assertThat(e.kind()).isEqualTo(ErrorKind.CLOSED);
    assertThat(e).hasMessage("the MPS3 client is closed");
  }

  @Test
  void storeFailures_keepTheirKindAndMessage() {
    Mps3Exception e =
        Errors.translate(
            new ObjectStoreException(
                ObjectStoreException.Kind.UNAVAILABLE,
                "GET http://127.0.0.1:1/b/k: refused",
                null));

    assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
    assertThat(e).hasMessage("GET http://127.0.0.1:1/b/k: refused");
  }

  @Test
  void anythingUnexpected_isInternal_andNamesTheCause() {
    Mps3Exception e = Errors.translate(new NullPointerException("x"));

    assertThat(e.kind()).isEqualTo(ErrorKind.INTERNAL);
    assertThat(e.getMessage()).contains("NullPointerException");
  }
}
