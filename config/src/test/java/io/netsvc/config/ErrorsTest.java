package io.netsvc.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ErrorsTest {

  @Test
  void theInnermostCauseSpeaks() {
    Throwable t =
        new CompletionException(
            new IllegalStateException("wrapper", new IOException("connection refused")));
    assertThat(Errors.rootMessage(t)).isEqualTo("connection refused");
  }

  @Test
  void aCauseWithoutMessageIsNamedByItsClass() {
    assertThat(Errors.rootMessage(new RuntimeException("outer", new NullPointerException())))
        .isEqualTo("java.lang.NullPointerException");
  }
}
