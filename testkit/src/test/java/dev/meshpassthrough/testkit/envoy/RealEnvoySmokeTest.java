package dev.meshpassthrough.testkit.envoy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.MatchType;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslationProfile;
import dev.meshpassthrough.testkit.Connection;
import dev.meshpassthrough.testkit.Decision;
import dev.meshpassthrough.testkit.PolicySimulation;
import java.util.List;
import org.junit.jupiter.api.Test;

class RealEnvoySmokeTest {
  @Test
  void smoke() {
    PassthroughConf conf = PassthroughConf.of(PassthroughMode.MATCHED, List.of(
        Match.of(Destination.of(MatchType.DOMAIN, "api.example.com"), 443, Protocol.TLS),
        Match.of(Destination.of(MatchType.CIDR, "10.0.0.0/8"), 80, Protocol.HTTP),
        Match.of(Destination.of(MatchType.IP, "10.0.0.5"), 25, Protocol.TCP)));
    PolicySimulation sim = PolicySimulation.translate(conf, TranslationProfile.EXACT, ProxyContext.defaultTransparentProxy());
    try (RealEnvoy envoy = RealEnvoy.start()) {
      System.out.println(envoy.binary());
      LoadResult r = envoy.load(sim.resources());
      System.out.println(r);
      List<Connection> cs = List.of(Connection.tls("api.example.com", 443), Connection.tls("other.example.com", 443),
          Connection.http("10.1.2.3", 80), Connection.http("example.com", 80).dialing("10.1.2.3"), Connection.h2c("10.1.2.3", 80),
          Connection.tcp("10.0.0.5", 25), Connection.mysql("10.0.0.5", 25), Connection.tcp("10.0.0.6", 25),
          Connection.http10("10.1.2.3", 80), Connection.tcp("10.1.2.3", 80), Connection.tls("api.example.com", 443).dialing("2001:db8::5"));
      for (Connection c : cs) {
        long t = System.nanoTime();
        Decision real = envoy.decide(c);
        Decision simd = sim.simulate(c);
        System.out.printf("%s%n  real: %s | %s %s %s %s waited=%s (%d ms)%n  sim:  %s | %s %s %s%n", c, real, real.listener().orElse("-"), real.chain().orElse("-"),
            real.cluster().orElse("-"), real.httpStatus(), real.waitedForListenerFiltersTimeout(), (System.nanoTime() - t) / 1_000_000,
            simd, simd.chain().orElse("-"), simd.cluster().orElse("-"), simd.httpStatus());
      }
      assertThat(r.accepted()).isTrue();
    }
  }
}
