package dev.meshpassthrough.core.diff;

/**
 * What a connection carries, as far as MeshPassthrough's intent tells connections apart: the HTTP
 * version (HTTP/1.0, HTTP/1.1, h2c) and the ALPN never matter, and opaque client-first bytes are
 * judged exactly as a server-first protocol is.
 */
public enum Traffic {
  /** Every connection, whatever it sends first. */
  ANY("any traffic"),
  /** A TLS ClientHello, judged by its SNI (or its absence). */
  TLS("tls"),
  /** Plaintext HTTP/1.0, HTTP/1.1 or h2c, judged by its Host or {@code :authority}. */
  HTTP("http"),
  /**
   * Neither TLS nor HTTP: opaque client-first bytes, or a server-first protocol such as MySQL; only
   * {@code tcp} and {@code mysql} IP and CIDR entries cover it.
   */
  OTHER("other tcp (neither tls nor http)");

  private final String text;

  Traffic(String text) {
    this.text = text;
  }

  /**
   * How {@link EgressClass#describe()} names it, for example {@code tls}.
   *
   * @return the lower-case text
   */
  public String text() {
    return text;
  }
}
