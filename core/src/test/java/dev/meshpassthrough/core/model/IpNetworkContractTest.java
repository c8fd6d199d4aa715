package dev.meshpassthrough.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.net.InetAddresses;
import dev.meshpassthrough.core.resolve.ProxyDescriptor;
import org.junit.jupiter.api.Test;

/**
 * Value types refuse what cannot exist: a prefix longer than its family, a port out of range, a
 * null part.
 */
class IpNetworkContractTest {
  @Test
  void aPrefix_isAtMost128_evenForAnAddressJavaHoldsAsIpv4() {
    // ::ffff:10.0.0.1 is an Inet4Address in Java and a /128 network in Envoy.
    assertThat(new IpNetwork(InetAddresses.forString("::ffff:10.0.0.1"), 128).prefixLength())
        .isEqualTo(128);
    assertThatThrownBy(() -> new IpNetwork(InetAddresses.forString("2001:db8::"), 129))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0-128");
    assertThatThrownBy(() -> new IpNetwork(InetAddresses.forString("10.0.0.0"), -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aZoneProxyListenerPort_isWithin1To65535() {
    assertThat(new ProxyDescriptor.ZoneProxyListener("l", 65535).port()).isEqualTo(65535);
    assertThatThrownBy(() -> new ProxyDescriptor.ZoneProxyListener("l", 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ProxyDescriptor.ZoneProxyListener("l", 65536))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theBuilder_refusesANullInboundOrListener_whenGiven() {
    ProxyDescriptor.Builder builder = ProxyDescriptor.builder("p", "default");

    assertThatThrownBy(() -> builder.inbound((ProxyDescriptor.Inbound) nullValue()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("inbound");
    assertThatThrownBy(() -> builder.listener(nullValue()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("listener");
  }

  @SuppressWarnings({"NullAway", "TypeParameterUnusedInFormals"})
  private static <T> T nullValue() {
    return null;
  }
}
