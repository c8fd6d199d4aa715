package dev.meshpassthrough.core.diff;

import dev.meshpassthrough.core.model.IpFamily;
import dev.meshpassthrough.core.model.IpNetwork;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The dialed addresses of a class of connections: any address of both families, any address of one
 * family, or one network, minus the networks in {@link #except()}.
 *
 * @param family the family, or empty for any dialed address of either family
 * @param network the network (an IP is a {@code /32} or {@code /128}), or empty for the whole
 *     family
 * @param except networks taken out, nested in {@code network} (or in the family), in ascending
 *     order of address; empty without a family
 */
public record AddressSet(
    Optional<IpFamily> family, Optional<IpNetwork> network, List<IpNetwork> except) {

  /**
   * Checks that a network and exceptions come only with a family.
   *
   * @param family the family, or empty for any address; not null
   * @param network the network, or empty; not null
   * @param except the networks taken out; copied; not null, nor any element
   * @throws NullPointerException when an argument or an element is null
   * @throws IllegalArgumentException when a network or an exception comes without a family
   */
  public AddressSet {
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(network, "network");
    except = List.copyOf(except);
    if (family.isEmpty() && (network.isPresent() || !except.isEmpty())) {
      throw new IllegalArgumentException("a network needs a family");
    }
  }

  /**
   * Whether this is every dialed address, of both families.
   *
   * @return true without a family
   */
  public boolean isAny() {
    return family.isEmpty();
  }
}
