package dev.meshpassthrough.envoy;

import dev.meshpassthrough.core.resolve.KumaLine;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the {@link TranslationProfile#EXACT} profile sends the traffic that a Domain entry allows:
 * to the address the client dialed, or to the name the entry allowed, resolved by Envoy itself.
 *
 * <p>A Domain entry is judged by the name the client sends (SNI for TLS, Host or {@code :authority}
 * for HTTP). Without pinning, the connection then goes to whatever address the client dialed, so
 * any workload reaches any address by sending an allowed name ({@code curl --resolve
 * allowed.example.com:443:10.0.0.5}). Pinning closes that: the upstream is the allowed name,
 * resolved by Envoy. IP and CIDR entries always keep the dialed address, which is what they name.
 */
public enum DomainPinning {
  /**
   * Nothing is pinned: every allowed connection goes to the address the client dialed ({@code
   * ORIGINAL_DST} clusters), as Kuma 2.x does. The default for {@link KumaLine#V2}.
   */
  OFF,
  /**
   * Kuma 3.x's pinning: each non-wildcard Domain entry with a port sends its traffic to a {@code
   * STRICT_DNS} cluster on {@code domain:port}. Wildcard and port-less Domain entries keep the
   * dialed address (the translation says so in a note per entry). The default for {@link
   * KumaLine#V3}.
   */
  DNS,
  /**
   * Every Domain entry is pinned, wildcards and port-less entries included: the upstream is the
   * name the client sent and the chain or virtual host matched against the policy (SNI for TLS,
   * Host for HTTP), resolved by Envoy's dynamic forward proxy, on the port the client dialed.
   */
  DYNAMIC;

  /**
   * The pinning a Kuma line applies: {@link #OFF} for {@link KumaLine#V2}, {@link #DNS} for {@link
   * KumaLine#V3}.
   *
   * @param line the Kuma line, not null
   * @return the line's pinning, never null
   * @throws NullPointerException when {@code line} is null
   */
  public static DomainPinning defaultFor(KumaLine line) {
    return Objects.requireNonNull(line, "line") == KumaLine.V3 ? DNS : OFF;
  }

  /**
   * The name on the command line and in texts: {@code off}, {@code dns} or {@code dynamic}.
   *
   * @return the lower-case name, never null
   */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The pinning named {@code text}: {@code off}, {@code dns} or {@code dynamic}, ignoring case.
   *
   * @param text the name, not null
   * @return the pinning, or empty when {@code text} names none
   * @throws NullPointerException when {@code text} is null
   */
  public static Optional<DomainPinning> parse(String text) {
    for (DomainPinning pinning : values()) {
      if (pinning.wireName().equalsIgnoreCase(text)) {
        return Optional.of(pinning);
      }
    }
    return Optional.empty();
  }
}
