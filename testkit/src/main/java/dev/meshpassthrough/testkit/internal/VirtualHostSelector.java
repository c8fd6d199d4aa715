package dev.meshpassthrough.testkit.internal;

import dev.meshpassthrough.testkit.TraceStep.Stage;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Envoy's virtual-host lookup (docs/envoy-behaviour.md#http-connection-manager), on the lowercased
 * Host: an exact domain, then the longest suffix wildcard ({@code *.foo.com}, {@code
 * *-bar.foo.com}), then the longest prefix wildcard ({@code foo.*}, {@code example.com:*}), then
 * {@code *}. A wildcard must cover at least one character. The port is part of the Host unless it
 * was stripped.
 */
final class VirtualHostSelector {
  private VirtualHostSelector() {}

  /** The virtual host for {@code host}, tracing the rule that picked it. */
  static Optional<VirtualHost> select(List<VirtualHost> virtualHosts, String host, Tracer trace) {
    String lower = host.toLowerCase(Locale.ROOT);
    Optional<Hit> hit =
        exact(virtualHosts, lower)
            .or(() -> longestSuffix(virtualHosts, lower))
            .or(() -> longestPrefix(virtualHosts, lower))
            .or(() -> star(virtualHosts));
    if (hit.isEmpty()) {
      trace.add(Stage.VIRTUAL_HOST, "Host '" + host + "': no virtual host matches");
      return Optional.empty();
    }
    trace.add(
        Stage.VIRTUAL_HOST,
        "Host '"
            + host
            + "': "
            + hit.get().rule()
            + " '"
            + hit.get().domain()
            + "' of virtual host "
            + hit.get().virtualHost().getName());
    return Optional.of(hit.get().virtualHost());
  }

  private static Optional<Hit> exact(List<VirtualHost> virtualHosts, String host) {
    for (VirtualHost vh : virtualHosts) {
      for (String domain : vh.getDomainsList()) {
        if (!domain.equals("*")
            && !domain.startsWith("*")
            && !domain.endsWith("*")
            && domain.toLowerCase(Locale.ROOT).equals(host)) {
          return Optional.of(new Hit(vh, domain, "exact domain"));
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<Hit> longestSuffix(List<VirtualHost> virtualHosts, String host) {
    Optional<Hit> best = Optional.empty();
    for (VirtualHost vh : virtualHosts) {
      for (String domain : vh.getDomainsList()) {
        String suffix = domain.toLowerCase(Locale.ROOT).substring(Math.min(1, domain.length()));
        boolean fits =
            domain.length() > 1
                && domain.startsWith("*")
                && host.length() > suffix.length()
                && host.endsWith(suffix);
        if (fits && (best.isEmpty() || domain.length() > best.get().domain().length())) {
          best = Optional.of(new Hit(vh, domain, "suffix wildcard"));
        }
      }
    }
    return best;
  }

  private static Optional<Hit> longestPrefix(List<VirtualHost> virtualHosts, String host) {
    Optional<Hit> best = Optional.empty();
    for (VirtualHost vh : virtualHosts) {
      for (String domain : vh.getDomainsList()) {
        String prefix =
            domain.toLowerCase(Locale.ROOT).substring(0, Math.max(0, domain.length() - 1));
        boolean fits =
            domain.length() > 1
                && !domain.startsWith("*")
                && domain.endsWith("*")
                && host.length() > prefix.length()
                && host.startsWith(prefix);
        if (fits && (best.isEmpty() || domain.length() > best.get().domain().length())) {
          best = Optional.of(new Hit(vh, domain, "prefix wildcard"));
        }
      }
    }
    return best;
  }

  private static Optional<Hit> star(List<VirtualHost> virtualHosts) {
    for (VirtualHost vh : virtualHosts) {
      if (vh.getDomainsList().contains("*")) {
        return Optional.of(new Hit(vh, "*", "catch-all domain"));
      }
    }
    return Optional.empty();
  }

  private record Hit(VirtualHost virtualHost, String domain, String rule) {}
}
