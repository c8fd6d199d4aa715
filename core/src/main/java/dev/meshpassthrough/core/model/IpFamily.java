package dev.meshpassthrough.core.model;

/** The address family of an IP or CIDR destination. */
public enum IpFamily {
  /** 32-bit addresses. */
  IPV4(32),
  /** 128-bit addresses. */
  IPV6(128);

  private final int bits;

  IpFamily(int bits) {
    this.bits = bits;
  }

  /**
   * The number of bits of an address, and so the largest prefix length.
   *
   * @return 32 for IPv4, 128 for IPv6
   */
  public int bits() {
    return bits;
  }
}
