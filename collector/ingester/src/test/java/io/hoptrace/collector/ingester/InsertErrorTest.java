package io.hoptrace.collector.ingester;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.ServerException;
import io.hoptrace.collector.ingester.InsertError.Kind;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class InsertErrorTest {

  private static ServerException server(int code, String message) {
    return new ServerException(code, "Code: " + code + ". DB::Exception: " + message, 500, "q-1");
  }

  @Test
  void rowsClickHouseRefusesArePermanent() {
    InsertError e = InsertError.classify(new ExecutionException(server(469, "Constraint `c` for table otel.otel_traces is violated")));
    assertThat(e.kind()).isEqualTo(Kind.PERMANENT);
    assertThat(e.code()).isEqualTo(469);
    assertThat(e.name()).isEqualTo("VIOLATED_CONSTRAINT");
    assertThat(e.message()).contains("Constraint `c`");
    for (int code : new int[] {6, 27, 41, 53, 70, 72, 321}) {
      assertThat(InsertError.classify(server(code, "x")).kind()).as("code " + code).isEqualTo(Kind.PERMANENT);
    }
  }

  @Test
  void failuresOfTheAttemptAreTransient() {
    assertThat(InsertError.classify(server(252, "Too many parts")).kind()).isEqualTo(Kind.TRANSIENT);
    assertThat(InsertError.classify(server(241, "Memory limit exceeded")).kind()).isEqualTo(Kind.TRANSIENT);
    assertThat(InsertError.classify(new CompletionException(new ConnectException("Connection refused"))))
        .extracting(InsertError::kind, InsertError::code).containsExactly(Kind.TRANSIENT, 0);
    assertThat(InsertError.classify(new SocketTimeoutException("Read timed out")).kind()).isEqualTo(Kind.TRANSIENT);
  }

  @Test
  void aBrokenClickHouseIsSystemicAlsoWhenTheCodeIsOnlyInTheText() {
    assertThat(InsertError.classify(server(60, "Table otel.otel_traces does not exist")))
        .extracting(InsertError::kind, InsertError::name).containsExactly(Kind.SYSTEMIC, "UNKNOWN_TABLE");
    assertThat(InsertError.classify(server(497, "Not enough privileges")).kind()).isEqualTo(Kind.SYSTEMIC);
    assertThat(InsertError.classify(server(16, "No such column")).kind()).isEqualTo(Kind.SYSTEMIC);
    // a client exception that carries the server's text only
    InsertError text = InsertError.classify(new RuntimeException("wrapped", new IllegalStateException(
        "Code: 16. DB::Exception: No such column Foo in table otel.otel_traces. (NO_SUCH_COLUMN_IN_TABLE)")));
    assertThat(text).extracting(InsertError::kind, InsertError::code).containsExactly(Kind.SYSTEMIC, 16);
  }

  @Test
  void anUnknownServerCodeIsSystemicSoNothingIsDeadLetteredByGuess() {
    InsertError e = InsertError.classify(server(12345, "something new"));
    assertThat(e.kind()).isEqualTo(Kind.SYSTEMIC);
    assertThat(e.codeText()).isEqualTo("code 12345");
  }
}
