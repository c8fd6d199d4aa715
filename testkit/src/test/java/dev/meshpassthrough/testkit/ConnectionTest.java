package dev.meshpassthrough.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshpassthrough.core.model.IpFamily;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConnectionTest {

  @Test
  void aNameIsTheSniAndDialsTheDocumentationAddress_anIpIsDialedWithoutSni() {
    Connection byName = Connection.tls("api.example.com", 443);
    Connection byIp = Connection.tls("2001:db8::5", 443);

    assertThat(byName.destinationText()).isEqualTo(Connection.DOCUMENTATION_IPV4);
    assertThat(byName.payload())
        .isEqualTo(new Connection.TlsClientHello(Optional.of("api.example.com"), List.of()));
    assertThat(byIp.family()).isEqualTo(IpFamily.IPV6);
    assertThat(byIp.payload())
        .isEqualTo(new Connection.TlsClientHello(Optional.empty(), List.of()));
    assertThat(byIp).hasToString("TLS (no SNI) to [2001:db8::5]:443");
  }

  @Test
  void theHostHeader_isWhatCurlSends() {
    assertThat(host(Connection.http("httpbin.org", 80))).isEqualTo("httpbin.org");
    assertThat(host(Connection.http("httpbin.org", 8080))).isEqualTo("httpbin.org:8080");
    assertThat(host(Connection.http("2001:db8::5", 8080))).isEqualTo("[2001:db8::5]:8080");
    assertThat(host(Connection.h2c("grpc.example.com", 443).withHost("grpc.example.com")))
        .isEqualTo("grpc.example.com");
  }

  @Test
  void refinementsCheckThePayload_andAddressesAreNeverResolved() {
    assertThatThrownBy(() -> Connection.http("a.example.com", 80).withAlpn("h2"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> Connection.tls("a.example.com", 443).withHost("x"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> Connection.tcp("localhost", 80))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Connection.tcp("10.0.0.1", 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Connection.tls("", 443)).isInstanceOf(IllegalArgumentException.class);
  }

  private static String host(Connection connection) {
    return ((Connection.HttpRequest) connection.payload()).host().orElseThrow();
  }
}
