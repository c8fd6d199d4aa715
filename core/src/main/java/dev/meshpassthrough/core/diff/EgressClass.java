package dev.meshpassthrough.core.diff;

import dev.meshpassthrough.core.model.IpFamily;
import dev.meshpassthrough.core.model.IpNetwork;
import dev.meshpassthrough.core.model.Port;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A class of connections, exactly: what they carry, the name they send, the port and the address
 * they dial. A connection is in the class when it is in each of the four sets.
 *
 * @param traffic what the connections carry
 * @param name the SNI (TLS) or Host (HTTP) they send; {@link NameSet#any()} for {@link Traffic#ANY}
 *     and {@link Traffic#OTHER}, which the name does not split
 * @param port the dialed port
 * @param address the dialed address
 */
public record EgressClass(Traffic traffic, NameSet name, PortSet port, AddressSet address) {

  /**
   * Checks for null, and that only TLS and HTTP classes restrict the name.
   *
   * @param traffic what the connections carry, not null
   * @param name the name they send, not null; {@link NameSet#any()} unless TLS or HTTP
   * @param port the dialed port, not null
   * @param address the dialed address, not null
   * @throws NullPointerException when an argument is null
   * @throws IllegalArgumentException when a class of other traffic restricts the name
   */
  public EgressClass {
    Objects.requireNonNull(traffic, "traffic");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(port, "port");
    Objects.requireNonNull(address, "address");
    if ((traffic == Traffic.ANY || traffic == Traffic.OTHER) && !name.equals(NameSet.any())) {
      throw new IllegalArgumentException(traffic + " traffic is not split by name: " + name);
    }
  }

  /**
   * The class in one line, for example {@code tls with SNI *.example.com (not the apex) to port
   * 443, any dialed address} or {@code any traffic to 10.0.0.0/8 port 5432}.
   *
   * @return the text; the same for equal classes
   */
  public String describe() {
    String what = traffic == Traffic.TLS || traffic == Traffic.HTTP ? named() : traffic.text();
    String ports =
        port.port()
            .map(p -> "port " + p.value())
            .orElse(port.except().isEmpty() ? "any port" : "any port but " + ports(port.except()));
    if (address.isAny()) {
      return what + " to " + ports + ", any dialed address";
    }
    String where =
        address
            .network()
            .map(EgressClass::network)
            .orElse(
                address.family().orElseThrow() == IpFamily.IPV4
                    ? "any IPv4 address"
                    : "any IPv6 address");
    if (!address.except().isEmpty()) {
      where +=
          " except "
              + address.except().stream()
                  .map(EgressClass::network)
                  .collect(Collectors.joining(", "));
    }
    boolean plain = port.port().isPresent() && address.except().isEmpty();
    return what + " to " + where + (plain ? " " : ", ") + ports;
  }

  @Override
  public String toString() {
    return describe();
  }

  private String named() {
    String field = traffic == Traffic.TLS ? "SNI" : "Host";
    String head = traffic.text() + " ";
    String except = String.join(", ", name.except());
    return switch (name.kind()) {
      case ANY ->
          head
              + (except.isEmpty()
                  ? "with or without " + field
                  : "without " + field + " or with " + field + " other than " + except);
      case NAMED ->
          head
              + (except.isEmpty()
                  ? "with any " + field
                  : "with " + field + " other than " + except);
      case NONE -> head + "without " + field;
      case EXACT -> head + "with " + field + " " + name.pattern().orElseThrow();
      case WILDCARD ->
          head
              + "with "
              + field
              + " "
              + name.pattern().orElseThrow()
              + " (not the apex)"
              + (except.isEmpty() ? "" : " except " + except);
    };
  }

  /** A host network as its address, for example {@code 10.0.0.1}; others as {@code a/n}. */
  private static String network(IpNetwork network) {
    int bits = network.address().getAddress().length * 8;
    return network.prefixLength() == bits ? network.addressText() : network.toString();
  }

  private static String ports(List<Port> ports) {
    return ports.stream().map(p -> Integer.toString(p.value())).collect(Collectors.joining(", "));
  }
}
