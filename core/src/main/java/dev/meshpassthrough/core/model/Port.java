package dev.meshpassthrough.core.model;

/**
 * A TCP port, 1 to 65535.
 *
 * @param value the port number
 */
public record Port(int value) implements Comparable<Port> {
  /** The smallest valid port. */
  public static final int MIN = 1;

  /** The largest valid port. */
  public static final int MAX = 65535;

  /**
   * Checks the range.
   *
   * @param value the port number, 1-65535
   * @throws IllegalArgumentException when {@code value} is outside 1-65535
   */
  public Port {
    if (value < MIN || value > MAX) {
      throw new IllegalArgumentException("port must be within 1-65535, got " + value);
    }
  }

  /**
   * The port {@code value}; throws {@link IllegalArgumentException} outside 1-65535.
   *
   * @param value the port number, 1-65535
   * @return the port
   * @throws IllegalArgumentException when {@code value} is outside 1-65535
   */
  public static Port of(int value) {
    return new Port(value);
  }

  @Override
  public int compareTo(Port other) {
    return Integer.compare(value, other.value);
  }

  @Override
  public String toString() {
    return Integer.toString(value);
  }
}
