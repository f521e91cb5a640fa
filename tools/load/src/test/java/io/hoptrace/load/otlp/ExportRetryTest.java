package io.hoptrace.load.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ExportRetryTest {
  final ExportRetry sdk = ExportRetry.sdkDefaults();

  @Test
  void theSdkDefaults() {
    assertThat(sdk).isEqualTo(new ExportRetry(5, Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(5), 1.5));
  }

  @Test
  void backOffIsFullJitterUnderAGrowingCappedBound() {
    SplittableRandom random = new SplittableRandom(7);
    long[] bounds = {1000, 1500, 2250, 3375};
    for (int failed = 1; failed <= 4; failed++) {
      long max = 0;
      for (int i = 0; i < 2000; i++) {
        long ms = sdk.delay(failed, Optional.empty(), random).orElseThrow().toMillis();
        assertThat(ms).isBetween(0L, bounds[failed - 1]);
        max = Math.max(max, ms);
      }
      assertThat(max).as("the jitter reaches close to the bound after %d failures", failed).isGreaterThan(bounds[failed - 1] * 9 / 10);
    }
    ExportRetry long_ = new ExportRetry(20, Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(5), 1.5);
    for (int i = 0; i < 1000; i++) {
      assertThat(long_.delay(15, Optional.empty(), random).orElseThrow()).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void noAttemptIsLeftAfterTheFifth() {
    assertThat(sdk.delay(5, Optional.empty(), new SplittableRandom(1))).isEmpty();
    assertThat(sdk.delay(5, Optional.of(Duration.ofSeconds(1)), new SplittableRandom(1))).isEmpty();
    assertThat(ExportRetry.none().delay(1, Optional.empty(), new SplittableRandom(1))).isEmpty();
    assertThatThrownBy(() -> sdk.delay(0, Optional.empty(), new SplittableRandom(1))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theServersHintWins() {
    assertThat(sdk.delay(1, Optional.of(Duration.ofSeconds(5)), new SplittableRandom(1))).contains(Duration.ofSeconds(5));
  }

  @Test
  void retryableAnswersAreTheSpecificationsOnes() {
    for (int status : new int[] {429, 502, 503, 504, -1}) {
      assertThat(ExportRetry.retryable(status)).as("%d", status).isTrue();
    }
    for (int status : new int[] {200, 400, 401, 404, 413, 415, 500}) {
      assertThat(ExportRetry.retryable(status)).as("%d", status).isFalse();
    }
  }

  @Test
  void retryAfterTakesDeltaSecondsOnly() {
    assertThat(ExportRetry.retryAfter(Optional.of("5"))).contains(Duration.ofSeconds(5));
    assertThat(ExportRetry.retryAfter(Optional.of(" 12 "))).contains(Duration.ofSeconds(12));
    assertThat(ExportRetry.retryAfter(Optional.of("Wed, 21 Oct 2015 07:28:00 GMT"))).isEmpty();
    assertThat(ExportRetry.retryAfter(Optional.of("-3"))).isEmpty();
    assertThat(ExportRetry.retryAfter(Optional.of(""))).isEmpty();
    assertThat(ExportRetry.retryAfter(Optional.empty())).isEmpty();
  }

  @Test
  void retryInfoIsReadFromTheStatusBody() throws IOException {
    assertThat(ExportRetry.retryInfo(status(3, 500_000_000))).contains(Duration.ofMillis(3500));
    assertThat(ExportRetry.retryInfo(status(-1, 0))).as("no RetryInfo detail").isEmpty();
    assertThat(ExportRetry.retryInfo("not a protobuf status at all".getBytes())).isEmpty();
    assertThat(ExportRetry.retryInfo(new byte[0])).isEmpty();
  }

  /** google.rpc.Status {code 14, message, details [Any RetryInfo]} as a receiver sends it; seconds < 0: no detail. */
  static byte[] status(long seconds, int nanos) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(b);
    out.writeInt32(1, 14);
    out.writeString(2, "kafka unavailable");
    if (seconds >= 0) {
      ByteArrayOutputStream d = new ByteArrayOutputStream();
      CodedOutputStream dur = CodedOutputStream.newInstance(d);
      dur.writeInt64(1, seconds);
      dur.writeInt32(2, nanos);
      dur.flush();
      ByteArrayOutputStream ri = new ByteArrayOutputStream();
      CodedOutputStream r = CodedOutputStream.newInstance(ri);
      r.writeBytes(1, ByteString.copyFrom(d.toByteArray()));
      r.flush();
      ByteArrayOutputStream any = new ByteArrayOutputStream();
      CodedOutputStream a = CodedOutputStream.newInstance(any);
      a.writeString(1, "type.googleapis.com/google.rpc.RetryInfo");
      a.writeBytes(2, ByteString.copyFrom(ri.toByteArray()));
      a.flush();
      out.writeBytes(3, ByteString.copyFrom(any.toByteArray()));
    }
    out.flush();
    return b.toByteArray();
  }
}
