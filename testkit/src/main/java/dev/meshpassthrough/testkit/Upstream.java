package dev.meshpassthrough.testkit;

import java.util.Locale;
import java.util.Objects;

/**
 * Where an allowed connection goes: the address the client dialed, a DNS name Envoy resolves
 * itself, or a fixed endpoint.
 *
 * @param kind which of the three
 * @param host the dialed address (canonical text), the DNS name (lower case), or the endpoint's
 *     address
 * @param port the port connected to, 1 to 65535
 */
public record Upstream(Kind kind, String host, int port) {

  /**
   * Checks for null and the port's range, and writes a DNS name in lower case.
   *
   * @param kind which kind, not null
   * @param host the address or name, not null
   * @param port the port, 1 to 65535
   * @throws NullPointerException when {@code kind} or {@code host} is null
   * @throws IllegalArgumentException when {@code port} is out of range
   */
  public Upstream {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port must be within 1-65535, got " + port);
    }
    if (kind == Kind.DNS_NAME) {
      host = host.toLowerCase(Locale.ROOT);
    }
  }

  /**
   * The address the client dialed ({@code ORIGINAL_DST}).
   *
   * @param address the dialed address, canonical text, not null
   * @param port the dialed port
   * @return the upstream, never null
   */
  public static Upstream dialed(String address, int port) {
    return new Upstream(Kind.DIALED_ADDRESS, address, port);
  }

  /**
   * A name Envoy resolves itself ({@code STRICT_DNS}, {@code LOGICAL_DNS}, dynamic forward proxy).
   *
   * @param name the DNS name, any case, not null
   * @param port the port connected to
   * @return the upstream, never null
   */
  public static Upstream dnsName(String name, int port) {
    return new Upstream(Kind.DNS_NAME, name, port);
  }

  /** For example {@code dialed 10.0.0.1:443} or {@code dns api.example.com:443}. */
  @Override
  public String toString() {
    String prefix =
        switch (kind) {
          case DIALED_ADDRESS -> "dialed ";
          case DNS_NAME -> "dns ";
          case ENDPOINT -> "endpoint ";
        };
    return prefix + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /** The kinds of upstream. */
  public enum Kind {
    /** The address and port the client dialed: an {@code ORIGINAL_DST} cluster. */
    DIALED_ADDRESS,
    /**
     * A DNS name Envoy resolves: a {@code STRICT_DNS} or {@code LOGICAL_DNS} cluster's endpoint, or
     * the name a dynamic forward proxy takes from SNI or Host.
     */
    DNS_NAME,
    /** A fixed endpoint of a {@code STATIC} cluster (or an EDS one). */
    ENDPOINT
  }
}
