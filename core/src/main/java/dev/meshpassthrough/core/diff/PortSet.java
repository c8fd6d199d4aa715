package dev.meshpassthrough.core.diff;

import dev.meshpassthrough.core.model.Port;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The dialed ports of a class of connections: one port, or any port but those in {@link #except()}.
 *
 * @param port the port, or empty for any port
 * @param except the ports taken out of "any port", ascending; empty with a port
 */
public record PortSet(Optional<Port> port, List<Port> except) {

  /**
   * Checks that exceptions come only with "any port".
   *
   * @param port the port, or empty for any port; not null
   * @param except the ports taken out, ascending; copied; not null, nor any element
   * @throws NullPointerException when an argument or an element is null
   * @throws IllegalArgumentException when a port comes with exceptions
   */
  public PortSet {
    Objects.requireNonNull(port, "port");
    except = List.copyOf(except);
    if (port.isPresent() && !except.isEmpty()) {
      throw new IllegalArgumentException("one port has no exceptions: " + except);
    }
  }
}
