package io.hoptrace.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which Authorization headers are let in: the token, the basic user, nothing else; anyone when nothing is configured. */
class HttpAuthTest {
  static String basic(String userPassword) {
    return "Basic " + Base64.getEncoder().encodeToString(userPassword.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void openLetsEveryoneIn() {
    assertThat(HttpAuth.open().enabled()).isFalse();
    assertThat(HttpAuth.open().allows(null)).isTrue();
  }

  @Test
  void tokenOnly() {
    HttpAuth auth = new HttpAuth(Optional.of("tok"), Optional.empty(), "r");
    assertThat(auth.allows("Bearer tok")).isTrue();
    assertThat(auth.allows("bearer  tok ")).isTrue();
    assertThat(auth.allows(null)).isFalse();
    assertThat(auth.allows("Bearer to")).isFalse();
    assertThat(auth.allows("Bearer tokk")).isFalse();
    assertThat(auth.allows("tok")).isFalse();
    assertThat(auth.allows(basic("tok:tok"))).isFalse();
  }

  @Test
  void basicOnlyWithAColonInThePassword() {
    HttpAuth auth = new HttpAuth(Optional.empty(), Optional.of("ops:a:b"), "r");
    assertThat(auth.allows(basic("ops:a:b"))).isTrue();
    assertThat(auth.allows(basic("ops:a"))).isFalse();
    assertThat(auth.allows(basic("other:a:b"))).isFalse();
    assertThat(auth.allows("Basic %%%")).isFalse();
    assertThat(auth.allows("Bearer ops:a:b")).isFalse();
  }

  @Test
  void theComparisonIsOfDigests() {
    assertThat(HttpAuth.same("a", "a")).isTrue();
    assertThat(HttpAuth.same("a", "ab")).isFalse();
    assertThat(HttpAuth.same("", "a")).isFalse();
  }
}
