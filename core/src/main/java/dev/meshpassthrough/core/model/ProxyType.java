package dev.meshpassthrough.core.model;

import java.util.List;
import java.util.Optional;

/** Kuma 2.x {@code targetRef.proxyTypes} values. */
public enum ProxyType {
  /** A proxy beside an application. */
  SIDECAR("Sidecar"),
  /** A gateway proxy. */
  GATEWAY("Gateway");

  private static final List<ProxyType> VALUES = List.of(values());

  private final String wireName;

  ProxyType(String wireName) {
    this.wireName = wireName;
  }

  /**
   * The spelling in documents.
   *
   * @return {@code Sidecar} or {@code Gateway}
   */
  public String wireName() {
    return wireName;
  }

  /**
   * The proxy type spelled exactly {@code name}, if any.
   *
   * @param name a {@code proxyTypes} entry as written, never null
   * @return the proxy type whose {@link #wireName()} equals {@code name} (case-sensitive); empty
   *     for any other text
   */
  public static Optional<ProxyType> fromWireName(String name) {
    return WireNames.lookup(VALUES, ProxyType::wireName, name);
  }
}
