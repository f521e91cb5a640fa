package io.hoptrace.collector.query.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Each explorer page is the one layout around its own content: one header, its title and its script. */
class WebAssetsTest {
  @Test
  void everyPageIsTheLayoutAroundItsContent() throws IOException {
    String layout = resource("layout.html");
    for (WebAssets.Page page : WebAssets.PAGES) {
      String main = resource("pages/" + page.name());
      String html = WebAssets.compose(layout, page, main);
      assertThat(html).as(page.name()).startsWith("<!doctype html>").doesNotContain("{{")
          .contains("<title>" + page.title() + " · hoptrace</title>")
          .contains("<script type=\"module\" src=\"/static/" + page.script() + "\"></script>")
          .contains("<main id=\"main\" tabindex=\"-1\">\n" + main + "</main>")
          .endsWith("</html>\n");
      assertThat(html.split("<header class=\"top\">", -1)).as("one header").hasSize(2);
      assertThat(main).as(page.name() + " holds its content only").doesNotContain("<html", "<header", "<main");
    }
    new WebAssets(); // and the server composes them at start
  }

  @Test
  void aLayoutWithoutAMarkerIsRefusedByName() {
    assertThatThrownBy(() -> WebAssets.compose("<title>{{title}}</title>{{main}}", WebAssets.PAGES.get(0), "x"))
        .hasMessageContaining("{{script}}");
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = WebAssets.class.getResourceAsStream(WebAssets.ROOT + name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
