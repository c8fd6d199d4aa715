package dev.meshpassthrough.cli.hostile;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds MeshPassthrough documents from a fuzzer's bytes: shapes, modes, targetRefs and entries
 * drawn from the values that have tripped up implementations before (wildcards, IPv6 spellings,
 * zone ids, prefixes out of range, ports out of range, protocols in the wrong case), mixed with
 * free text, written as YAML or JSON. Most documents get past the parser, so the fuzzer spends its
 * time in validation, resolution and translation.
 */
final class FuzzedPolicies {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static final String[] DOMAINS = {
    "example.com",
    "api.example.com",
    "*.example.com",
    "*.api.example.com",
    "EXAMPLE.COM",
    "Wiki.Example.com",
    "*",
    "**.a",
    "*.*.a",
    "a.*.b",
    "*a.example.com",
    "example.com.",
    "a..b",
    "-a.com",
    "xn--80ak6aa92e.com",
    "xn--.com",
    "ex\u0430mple.com",
    "a".repeat(63) + ".com",
    "a".repeat(64) + ".com",
    "localhost",
    "1.2.3.4",
    "",
    " ",
    "a_b.com",
    "*.com",
    "com"
  };
  private static final String[] IPS = {
    "1.2.3.4",
    "10.0.0.1",
    "0.0.0.0",
    "255.255.255.255",
    "010.1.1.1",
    "1.2.3",
    "256.1.1.1",
    "::",
    "::1",
    "2001:db8::1",
    "2001:0db8:0000:0000:0000:0000:0000:0001",
    "2001:DB8::1",
    "::ffff:1.2.3.4",
    "::ffff:10.0.0.1",
    "fe80::1%eth0",
    "fe80::1%nosuchif0",
    "fe80::1%",
    "1:2:3:4:5:6:7:8:9",
    "::1.2.3.4"
  };
  private static final String[] CIDRS = {
    "10.0.0.0/8",
    "10.0.0.1/8",
    "0.0.0.0/0",
    "::/0",
    "10.0.0.0/32",
    "10.0.0.0/33",
    "2001:db8::/32",
    "2001:db8::/129",
    "10.0.0.0/-1",
    "10.0.0.0/08",
    "10.0.0.0/",
    "10.0.0.0",
    "::ffff:10.0.0.0/104",
    "fe80::%eth0/64",
    "fe80::%nosuchif0/64",
    "1.2.3.4/24",
    "2001:db8::1/64",
    "10.1.0.0/16"
  };
  private static final String[] TYPES = {"Domain", "IP", "CIDR", "domain", "Ip", "Hostname", ""};
  private static final String[] PROTOCOLS = {
    "tcp", "tls", "http", "http2", "grpc", "mysql", "TCP", "https", ""
  };
  private static final String[] MODES = {"All", "Matched", "None", "all", "Sometimes", ""};
  private static final String[] KINDS = {
    "Mesh", "Dataplane", "MeshSubset", "MeshService", "Everything", ""
  };
  private static final int[] PORTS = {0, 1, 53, 80, 443, 3306, 8080, 8443, 65535, 65536, -1};

  private FuzzedPolicies() {}

  /** One document, as UTF-8 bytes. */
  static byte[] write(FuzzedDataProvider data) {
    Map<String, Object> document = new LinkedHashMap<>();
    Map<String, Object> spec = new LinkedHashMap<>();
    switch (data.consumeInt(0, 2)) {
      case 0 -> {
        document.put("type", "MeshPassthrough");
        document.put(
            "name",
            data.consumeBoolean() ? "policy-" + data.consumeInt(0, 3) : data.consumeAsciiString(8));
        if (data.consumeBoolean()) {
          document.put("mesh", data.pickValue(new String[] {"default", "other", ""}));
        }
        document.put("spec", spec);
      }
      case 1 -> {
        document.put("apiVersion", "kuma.io/v1alpha1");
        document.put("kind", "MeshPassthrough");
        document.put(
            "metadata",
            Map.of(
                "name",
                "policy-" + data.consumeInt(0, 3),
                "namespace",
                "kuma-system",
                "labels",
                Map.of("kuma.io/mesh", "default")));
        document.put("spec", spec);
      }
      default -> document = spec; // a bare spec
    }
    if (data.consumeBoolean()) {
      spec.put("targetRef", targetRef(data));
    }
    Map<String, Object> conf = new LinkedHashMap<>();
    if (data.consumeBoolean()) {
      conf.put(
          "passthroughMode",
          data.consumeBoolean() ? data.pickValue(MODES) : data.consumeAsciiString(10));
    }
    int entries = data.consumeInt(0, 12);
    if (entries > 0 || data.consumeBoolean()) {
      List<Object> matches = new ArrayList<>();
      for (int i = 0; i < entries; i++) {
        matches.add(match(data));
      }
      conf.put("appendMatch", matches);
    }
    spec.put("default", conf);
    try {
      String text = (data.consumeBoolean() ? JSON : YAML).writeValueAsString(document);
      return text.getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of maps, lists and scalars always serialises", e);
    }
  }

  private static Map<String, Object> targetRef(FuzzedDataProvider data) {
    Map<String, Object> ref = new LinkedHashMap<>();
    ref.put("kind", data.pickValue(KINDS));
    switch (data.consumeInt(0, 4)) {
      case 0 ->
          ref.put("labels", Map.of("app", data.pickValue(new String[] {"backend", "frontend"})));
      case 1 -> ref.put("name", "backend-1");
      case 2 ->
          ref.put(
              "proxyTypes",
              data.consumeBoolean() ? List.of("Sidecar") : List.of("Gateway", "Toaster"));
      case 3 -> ref.put("tags", Map.of("kuma.io/service", "backend"));
      default -> {}
    }
    return ref;
  }

  private static Map<String, Object> match(FuzzedDataProvider data) {
    Map<String, Object> match = new LinkedHashMap<>();
    String type = data.pickValue(TYPES);
    if (!type.isEmpty() || data.consumeBoolean()) {
      match.put("type", type);
    }
    String[] values =
        switch (data.consumeInt(0, 3)) {
          case 0 -> DOMAINS;
          case 1 -> IPS;
          case 2 -> CIDRS;
          default -> type.equals("IP") ? IPS : type.equals("CIDR") ? CIDRS : DOMAINS;
        };
    match.put(
        "value", data.consumeInt(0, 9) == 0 ? data.consumeString(40) : data.pickValue(values));
    switch (data.consumeInt(0, 5)) {
      case 0 -> {} // every port
      case 1 -> match.put("port", data.consumeInt(1, 4)); // small ports collide
      case 2 -> match.put("port", BigInteger.TWO.pow(64));
      case 3 -> match.put("port", data.consumeInt());
      default -> match.put("port", data.pickValue(PORTS));
    }
    if (data.consumeBoolean()) {
      match.put("protocol", data.pickValue(PROTOCOLS));
    }
    return match;
  }
}
