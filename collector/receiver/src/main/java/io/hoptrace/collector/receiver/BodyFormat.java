package io.hoptrace.collector.receiver;

/** The two OTLP encodings. */
public enum BodyFormat {
  PROTOBUF("application/x-protobuf"),
  JSON("application/json");

  private final String contentType;

  BodyFormat(String contentType) {
    this.contentType = contentType;
  }

  public String contentType() {
    return contentType;
  }

  /** The format of a Content-Type header value (parameters such as charset ignored), or null. */
  public static BodyFormat of(String contentType) {
    if (contentType == null) {
      return null;
    }
    int semi = contentType.indexOf(';');
    String mime = (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(java.util.Locale.ROOT);
    return switch (mime) {
      case "application/x-protobuf", "application/protobuf" -> PROTOBUF;
      case "application/json" -> JSON;
      default -> null;
    };
  }
}
