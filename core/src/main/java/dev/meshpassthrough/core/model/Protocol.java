package dev.meshpassthrough.core.model;

import java.util.List;
import java.util.Optional;

/** The {@code protocol} of an {@code appendMatch} entry; {@link #TCP} when a document omits it. */
public enum Protocol {
  /** Any bytes to the address and port: cannot tell domains apart. */
  TCP("tcp"),
  /** TLS originated by the client; domains are matched on SNI. */
  TLS("tls"),
  /** Plaintext HTTP/1.x; domains are matched on the Host header. */
  HTTP("http"),
  /** HTTP/2 with prior knowledge (h2c). */
  HTTP2("http2"),
  /** gRPC over h2c. */
  GRPC("grpc"),
  /** MySQL: a server-first protocol, so no inspector may wait for client bytes. */
  MYSQL("mysql");

  private static final List<Protocol> VALUES = List.of(values());

  private final String wireName;

  Protocol(String wireName) {
    this.wireName = wireName;
  }

  /**
   * The spelling in policy documents, for example {@code http2}.
   *
   * @return the lower-case name: {@code tcp}, {@code tls}, {@code http}, {@code http2}, {@code
   *     grpc} or {@code mysql}
   */
  public String wireName() {
    return wireName;
  }

  /**
   * Whether Envoy routes it with an HTTP connection manager ({@code http}, {@code http2}, {@code
   * grpc}).
   *
   * @return true for {@link #HTTP}, {@link #HTTP2} and {@link #GRPC}; false for the others
   */
  public boolean isLayer7() {
    return this == HTTP || this == HTTP2 || this == GRPC;
  }

  /**
   * The protocol spelled exactly {@code name} (case-sensitive, as Kuma's schema is), if any.
   *
   * @param name the {@code protocol} text as written, never null
   * @return the protocol whose {@link #wireName()} equals {@code name}; empty for any other text,
   *     {@code TCP} included
   */
  public static Optional<Protocol> fromWireName(String name) {
    return WireNames.lookup(VALUES, Protocol::wireName, name);
  }
}
