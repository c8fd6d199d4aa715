package dev.meshpassthrough.validation.internal;

import dev.meshpassthrough.core.model.IpLiteral;
import java.util.regex.Pattern;

/**
 * Kuma's DNS-name check (govalidator's {@code IsDNSName}): not empty, at most 255 characters
 * without the dots, not an IP literal, labels of letters, digits, {@code _} and {@code -} that do
 * not start with {@code -}, one trailing {@code .} or {@code _} allowed. Kept exactly so that we
 * reject what Kuma rejects with Kuma's message; the stricter rules live in {@code HostnameSyntax}.
 */
final class KumaDnsName {
  private static final Pattern DNS_NAME =
      Pattern.compile(
          "^([a-zA-Z0-9_][a-zA-Z0-9_-]{0,62})(\\.[a-zA-Z0-9_][a-zA-Z0-9_-]{0,62})*[._]?$");

  private KumaDnsName() {}

  static boolean isValid(String name) {
    if (name.isEmpty() || name.replace(".", "").length() > 255) {
      return false;
    }
    return IpLiteral.parse(name).isEmpty() && DNS_NAME.matcher(name).matches();
  }
}
