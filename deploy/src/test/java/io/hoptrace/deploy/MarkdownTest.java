package io.hoptrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The docs tests read links and anchors the way GitHub renders them. */
class MarkdownTest {
  @Test
  void anchorsAreGithubSlugs() {
    assertThat(Markdown.slug("Roles and scaling")).isEqualTo("roles-and-scaling");
    assertThat(Markdown.slug("Quick start: watch a trace cross Kafka, in five minutes"))
        .isEqualTo("quick-start-watch-a-trace-cross-kafka-in-five-minutes");
    assertThat(Markdown.slug("Bugs the suite found (fixed, each with a test at the right level)"))
        .isEqualTo("bugs-the-suite-found-fixed-each-with-a-test-at-the-right-level");
    assertThat(Markdown.slug("The `./stack` command")).isEqualTo("the-stack-command");
    assertThat(Markdown.slug("C++ & Java")).isEqualTo("c--java");
    assertThat(Markdown.slug("otel_traces, [the table](x.md)")).isEqualTo("otel_traces-the-table");
    assertThat(Markdown.slug("Größe")).isEqualTo("größe");
  }

  @Test
  void aRepeatedHeadingGetsANumberAndCodeHoldsNoHeadings() {
    String md = "# Title\n## Endpoints\n```\n# not a heading\n```\n## Endpoints\n### Endpoints\n";
    assertThat(Markdown.anchors(md)).containsExactly("title", "endpoints", "endpoints-1", "endpoints-2");
  }

  @Test
  void linksAndImagesOutsideCode() {
    String md = """
        See [the API](docs/http-api.md#endpoints) and ![a picture](docs/images/pipeline.svg "title").
        [![badge](img.svg)](target.md) `[not](a-link.md)` <img src="raw.png">
        [ref]: docs/ref.md
        ```
        [not](in-code.md)
        ```
        """;
    assertThat(Markdown.links(md))
        .containsExactly("docs/http-api.md#endpoints", "docs/images/pipeline.svg", "img.svg", "target.md", "raw.png", "docs/ref.md");
  }
}
