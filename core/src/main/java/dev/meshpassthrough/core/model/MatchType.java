package dev.meshpassthrough.core.model;

import java.util.List;
import java.util.Optional;

/** The {@code type} of an {@code appendMatch} entry. */
public enum MatchType {
  /** A DNS name, or a wildcard {@code *.example.com}. */
  DOMAIN("Domain"),
  /** One IPv4 or IPv6 address. */
  IP("IP"),
  /** An IPv4 or IPv6 network in CIDR notation. */
  CIDR("CIDR");

  private static final List<MatchType> VALUES = List.of(values());

  private final String wireName;

  MatchType(String wireName) {
    this.wireName = wireName;
  }

  /**
   * The spelling in policy documents, for example {@code Domain}.
   *
   * @return {@code Domain}, {@code IP} or {@code CIDR}
   */
  public String wireName() {
    return wireName;
  }

  /**
   * The type spelled exactly {@code name} (case-sensitive), if any.
   *
   * @param name the {@code type} text as written, never null
   * @return the type whose {@link #wireName()} equals {@code name}; empty for any other text,
   *     {@code domain} included
   */
  public static Optional<MatchType> fromWireName(String name) {
    return WireNames.lookup(VALUES, MatchType::wireName, name);
  }
}
