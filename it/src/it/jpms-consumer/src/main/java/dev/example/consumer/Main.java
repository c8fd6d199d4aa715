package dev.example.consumer;

import dev.meshpassthrough.core.parse.ParseResult;
import dev.meshpassthrough.core.parse.PolicyParser;
import dev.meshpassthrough.envoy.PassthroughTranslator;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslationResult;
import dev.meshpassthrough.validation.PolicyValidator;
import dev.meshpassthrough.validation.ValidationResult;
import java.nio.file.Path;

/** Parses, validates and translates one policy file on the module path; exits non-zero on any surprise. */
public final class Main {
  public static void main(String[] args) throws Exception {
    if (Main.class.getModule().getName() == null || !PolicyParser.class.getModule().isNamed()) {
      throw new IllegalStateException("not running on the module path");
    }
    ParseResult parsed = PolicyParser.create().parse(Path.of(args[0]));
    if (!parsed.problems().isEmpty() || parsed.documents().size() != 1) {
      throw new IllegalStateException("parse: " + parsed.problems());
    }
    ValidationResult validated = PolicyValidator.create().validate(parsed.documents().get(0));
    TranslationResult result = PassthroughTranslator.create()
        .translate(validated.orElseThrow().conf(), ProxyContext.defaultTransparentProxy());
    if (result.listener("self_transparentproxy_passthrough_outbound_ipv4").isEmpty()) {
      throw new IllegalStateException("no outbound passthrough listener: " + result.listeners());
    }
    String json = result.toJson();
    System.out.println("module " + PassthroughTranslator.class.getModule().getName() + ": "
        + result.listeners().size() + " listeners, " + result.clusters().size() + " clusters, "
        + json.length() + " JSON characters");
  }
}
