package dev.meshpassthrough.envoy;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What the {@link TranslationProfile#EXACT} profile does with traffic the policy does not allow:
 * refuse it, or let it pass and say so.
 *
 * <p>Under both, traffic the policy allows is handled the same way: the same chains, clusters and
 * pinning. They differ only where the policy denies.
 */
public enum Enforcement {
  /**
   * Traffic the policy does not allow is refused: closed, or answered 503 for HTTP. The default.
   */
  ENFORCE,
  /**
   * Traffic the policy does not allow still reaches the address the client dialed, but only through
   * configuration of its own: chains, virtual hosts, routes and clusters named {@code
   * meshpassthrough_audit_…}, with statistics of their own (per port and address family), and a
   * JSON access log line with {@code "verdict": "would-deny"} for each connection or request (see
   * {@link TranslatorOptions#auditLogPath()}). Nothing is added that the client or the destination
   * can see. A dry run before enforcing a policy: mode {@code None} forwards and logs everything,
   * {@code All} logs nothing, {@code Matched} logs exactly what it would deny.
   */
  AUDIT;

  /**
   * The name on the command line and in texts: {@code enforce} or {@code audit}.
   *
   * @return the lower-case name, never null
   */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The enforcement named {@code text}: {@code enforce} or {@code audit}, ignoring case.
   *
   * @param text the name, not null
   * @return the enforcement, or empty when {@code text} names none
   * @throws NullPointerException when {@code text} is null
   */
  public static Optional<Enforcement> parse(String text) {
    Objects.requireNonNull(text, "text");
    for (Enforcement enforcement : values()) {
      if (enforcement.wireName().equalsIgnoreCase(text)) {
        return Optional.of(enforcement);
      }
    }
    return Optional.empty();
  }
}
