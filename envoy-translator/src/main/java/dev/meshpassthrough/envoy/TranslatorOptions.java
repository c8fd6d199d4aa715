package dev.meshpassthrough.envoy;

import dev.meshpassthrough.core.resolve.KumaLine;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link PassthroughTranslator} translates.
 *
 * @param profile whose behaviour to reproduce
 * @param noMatchBody the body of the 503 answer to an HTTP request no rule allows, for the {@link
 *     TranslationProfile#EXACT} profile; empty for the profile's default. The {@link
 *     TranslationProfile#KUMA} profile always writes Kuma's text.
 * @param encoding how chains are selected: {@link Encoding#LEGACY} (the default) or, for the {@link
 *     TranslationProfile#EXACT} profile only, {@link Encoding#MATCHER}
 * @param maxOutputBytes the most bytes the listeners and clusters a translation builds may take in
 *     protobuf's binary encoding (the sum of their {@code getSerializedSize()}, what an xDS server
 *     sends; the proxy's resources the translation leaves unchanged do not count). A conf that
 *     needs more is refused with a {@link TranslationException} before it is built, instead of
 *     filling the heap: the built resources take about three bytes of heap per encoded byte, their
 *     proto3 JSON about two and a half bytes of text. Default {@link #DEFAULT_MAX_OUTPUT_BYTES}.
 * @param kumaLine the Kuma line whose plugin the {@link TranslationProfile#KUMA} profile
 *     reproduces: {@link KumaLine#V2} (the default) or {@link KumaLine#V3}, which pins domain
 *     destinations ({@code STRICT_DNS} clusters) and drops conflicting matches with warnings
 *     instead of failing. It also sets the {@link TranslationProfile#EXACT} profile's default
 *     {@link DomainPinning}: see {@link #effectiveDomainPinning()}.
 * @param domainPinning where the {@link TranslationProfile#EXACT} profile sends the traffic of
 *     Domain entries; empty for the default of the Kuma line ({@link
 *     DomainPinning#defaultFor(KumaLine)}). The {@link TranslationProfile#KUMA} profile pins as its
 *     Kuma line does and takes no other pinning.
 * @param enforcement what the {@link TranslationProfile#EXACT} profile does with traffic the policy
 *     does not allow: {@link Enforcement#ENFORCE} (the default) refuses it, {@link
 *     Enforcement#AUDIT} lets it reach the dialed address through configuration of its own and logs
 *     it. The {@link TranslationProfile#KUMA} profile enforces only.
 * @param auditLogPath where Envoy writes the audit log under {@link Enforcement#AUDIT}: a file path
 *     of the proxy's file system, {@link #DEFAULT_AUDIT_LOG_PATH} (Envoy's standard output) by
 *     default; unused under {@link Enforcement#ENFORCE}
 */
public record TranslatorOptions(
    TranslationProfile profile,
    Optional<String> noMatchBody,
    Encoding encoding,
    long maxOutputBytes,
    KumaLine kumaLine,
    Optional<DomainPinning> domainPinning,
    Enforcement enforcement,
    String auditLogPath) {
  /**
   * 32 MiB of encoded resources, about 100,000 filter chains of the usual kinds: built, they take
   * about 100 MB of heap, so that the command line translates the biggest conf it takes in a 256 MB
   * JVM. Raise it with {@link #withMaxOutputBytes(long)} when the heap is bigger.
   */
  public static final long DEFAULT_MAX_OUTPUT_BYTES = 32L * 1024 * 1024;

  /** Envoy's standard output: where the audit log goes unless another path is given. */
  public static final String DEFAULT_AUDIT_LOG_PATH = "/dev/stdout";

  /** The longest audit log path taken. */
  private static final int MAX_AUDIT_LOG_PATH = 4096;

  /**
   * Checks for null, and that the profile supports the encoding.
   *
   * @param profile whose behaviour to reproduce, not null
   * @param noMatchBody the 503 body for the {@link TranslationProfile#EXACT} profile, or empty for
   *     the profile's default; not null
   * @param encoding how chains are selected, not null; {@link Encoding#MATCHER} only with {@link
   *     TranslationProfile#EXACT}
   * @param maxOutputBytes the most bytes, in protobuf's binary encoding, that the built listeners
   *     and clusters may take; at least 1
   * @param kumaLine the Kuma line the kuma profile reproduces, not null
   * @param domainPinning the exact profile's pinning, or empty for the Kuma line's default; not
   *     null
   * @param enforcement what the exact profile does with traffic the policy does not allow, not
   *     null; {@link Enforcement#AUDIT} only with {@link TranslationProfile#EXACT}
   * @param auditLogPath where Envoy writes the audit log: not blank, at most 4,096 characters, no
   *     control characters
   * @throws NullPointerException when an argument is null
   * @throws IllegalArgumentException for {@link TranslationProfile#KUMA} with {@link
   *     Encoding#MATCHER}: Kuma writes legacy matches only; for {@link TranslationProfile#KUMA}
   *     with a pinning other than its line's or with {@link Enforcement#AUDIT}; for {@code
   *     maxOutputBytes} below 1; for an audit log path that is blank, too long or has control
   *     characters
   */
  public TranslatorOptions {
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(kumaLine, "kumaLine");
    Objects.requireNonNull(domainPinning, "domainPinning");
    if (profile == TranslationProfile.KUMA
        && domainPinning.isPresent()
        && domainPinning.get() != DomainPinning.defaultFor(kumaLine)) {
      throw new IllegalArgumentException(
          "the kuma profile pins domains as Kuma "
              + (kumaLine == KumaLine.V3 ? "3.x" : "2.x")
              + " does ("
              + DomainPinning.defaultFor(kumaLine).wireName()
              + "), not "
              + domainPinning.get().wireName()
              + ": choose the pinning with the exact profile, or the Kuma line with the kuma profile");
    }
    Objects.requireNonNull(noMatchBody, "noMatchBody");
    Objects.requireNonNull(encoding, "encoding");
    if (profile == TranslationProfile.KUMA && encoding != Encoding.LEGACY) {
      throw new IllegalArgumentException(
          "the kuma profile supports the legacy encoding only, not " + encoding);
    }
    if (maxOutputBytes < 1) {
      throw new IllegalArgumentException(
          "maxOutputBytes must be at least 1, not " + maxOutputBytes);
    }
    Objects.requireNonNull(enforcement, "enforcement");
    if (profile == TranslationProfile.KUMA && enforcement != Enforcement.ENFORCE) {
      throw new IllegalArgumentException(
          "the kuma profile enforces only, as Kuma does: audit with the exact profile");
    }
    Objects.requireNonNull(auditLogPath, "auditLogPath");
    if (auditLogPath.isBlank()
        || auditLogPath.length() > MAX_AUDIT_LOG_PATH
        || auditLogPath.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(
          "the audit log path must be a file path of at most "
              + MAX_AUDIT_LOG_PATH
              + " characters without control characters, not '"
              + auditLogPath
                  .substring(0, Math.min(auditLogPath.length(), 80))
                  .replaceAll("\\p{Cntrl}", "?")
              + "'");
    }
  }

  /**
   * The options of {@code profile} with {@code noMatchBody}, {@code encoding}, {@code
   * maxOutputBytes}, {@code kumaLine} and {@code domainPinning}, enforcing.
   *
   * @param profile whose behaviour to reproduce, not null
   * @param noMatchBody the 503 body for the {@link TranslationProfile#EXACT} profile, or empty for
   *     the profile's default; not null
   * @param encoding how chains are selected, not null
   * @param maxOutputBytes the most bytes, in protobuf's binary encoding, that the built listeners
   *     and clusters may take; at least 1
   * @param kumaLine the Kuma line the kuma profile reproduces, not null
   * @param domainPinning the exact profile's pinning, or empty for the Kuma line's default; not
   *     null
   * @throws NullPointerException when an argument is null
   * @throws IllegalArgumentException as the canonical constructor
   */
  public TranslatorOptions(
      TranslationProfile profile,
      Optional<String> noMatchBody,
      Encoding encoding,
      long maxOutputBytes,
      KumaLine kumaLine,
      Optional<DomainPinning> domainPinning) {
    this(
        profile,
        noMatchBody,
        encoding,
        maxOutputBytes,
        kumaLine,
        domainPinning,
        Enforcement.ENFORCE,
        DEFAULT_AUDIT_LOG_PATH);
  }

  /**
   * The options of {@code profile} with {@code noMatchBody}, {@code encoding}, {@code
   * maxOutputBytes} and {@link KumaLine#V2}.
   *
   * @param profile whose behaviour to reproduce, not null
   * @param noMatchBody the 503 body for the {@link TranslationProfile#EXACT} profile, or empty for
   *     the profile's default; not null
   * @param encoding how chains are selected, not null
   * @param maxOutputBytes the most bytes, in protobuf's binary encoding, that the built listeners
   *     and clusters may take; at least 1
   * @throws NullPointerException when an argument is null
   * @throws IllegalArgumentException for {@link TranslationProfile#KUMA} with {@link
   *     Encoding#MATCHER}; for {@code maxOutputBytes} below 1
   */
  public TranslatorOptions(
      TranslationProfile profile,
      Optional<String> noMatchBody,
      Encoding encoding,
      long maxOutputBytes) {
    this(profile, noMatchBody, encoding, maxOutputBytes, KumaLine.V2);
  }

  /**
   * The options of {@code profile} with {@code noMatchBody}, {@code encoding}, {@code
   * maxOutputBytes}, {@code kumaLine} and the line's default {@link DomainPinning}.
   *
   * @param profile whose behaviour to reproduce, not null
   * @param noMatchBody the 503 body for the {@link TranslationProfile#EXACT} profile, or empty for
   *     the profile's default; not null
   * @param encoding how chains are selected, not null
   * @param maxOutputBytes the most bytes, in protobuf's binary encoding, that the built listeners
   *     and clusters may take; at least 1
   * @param kumaLine the Kuma line the kuma profile reproduces, not null
   * @throws NullPointerException when an argument is null
   * @throws IllegalArgumentException for {@link TranslationProfile#KUMA} with {@link
   *     Encoding#MATCHER}; for {@code maxOutputBytes} below 1
   */
  public TranslatorOptions(
      TranslationProfile profile,
      Optional<String> noMatchBody,
      Encoding encoding,
      long maxOutputBytes,
      KumaLine kumaLine) {
    this(profile, noMatchBody, encoding, maxOutputBytes, kumaLine, Optional.empty());
  }

  /**
   * The options of {@code profile} with {@code noMatchBody}, {@code encoding} and the default
   * output bound.
   *
   * @param profile whose behaviour to reproduce, not null
   * @param noMatchBody the 503 body for the {@link TranslationProfile#EXACT} profile, or empty for
   *     the profile's default; not null
   * @param encoding how chains are selected, not null
   * @throws NullPointerException when an argument is null
   * @throws IllegalArgumentException for {@link TranslationProfile#KUMA} with {@link
   *     Encoding#MATCHER}
   */
  public TranslatorOptions(
      TranslationProfile profile, Optional<String> noMatchBody, Encoding encoding) {
    this(profile, noMatchBody, encoding, DEFAULT_MAX_OUTPUT_BYTES);
  }

  /**
   * The options of {@code profile} with {@code noMatchBody} and the {@link Encoding#LEGACY}
   * encoding.
   *
   * @param profile whose behaviour to reproduce, not null
   * @param noMatchBody the 503 body for the {@link TranslationProfile#EXACT} profile, or empty for
   *     the profile's default; not null
   * @throws NullPointerException when an argument is null
   */
  public TranslatorOptions(TranslationProfile profile, Optional<String> noMatchBody) {
    this(profile, noMatchBody, Encoding.LEGACY);
  }

  /**
   * The options of the given profile, with its default texts and the {@link Encoding#LEGACY}
   * encoding.
   *
   * @param profile whose behaviour to reproduce, not null
   * @return options with no 503 body of their own, the legacy encoding and {@link
   *     #DEFAULT_MAX_OUTPUT_BYTES}; never null
   * @throws NullPointerException when {@code profile} is null
   */
  public static TranslatorOptions of(TranslationProfile profile) {
    return new TranslatorOptions(profile, Optional.empty(), Encoding.LEGACY);
  }

  /**
   * These options with another 503 body for the exact profile.
   *
   * @param body the body of the 503 answer to an HTTP request no rule allows, not null; ignored by
   *     the {@link TranslationProfile#KUMA} profile
   * @return a copy with {@code body} as the 503 body and everything else unchanged; never null
   * @throws NullPointerException when {@code body} is null
   */
  public TranslatorOptions withNoMatchBody(String body) {
    return new TranslatorOptions(
        profile,
        Optional.of(body),
        encoding,
        maxOutputBytes,
        kumaLine,
        domainPinning,
        enforcement,
        auditLogPath);
  }

  /**
   * These options with another bound on the encoded size of what a translation builds; see {@link
   * #maxOutputBytes()}. Give the JVM about four bytes of heap per byte allowed.
   *
   * @param maxOutputBytes the most bytes, in protobuf's binary encoding, that the built listeners
   *     and clusters may take; at least 1
   * @return a copy with that bound and everything else unchanged; never null
   * @throws IllegalArgumentException when {@code maxOutputBytes} is below 1
   */
  public TranslatorOptions withMaxOutputBytes(long maxOutputBytes) {
    return new TranslatorOptions(
        profile,
        noMatchBody,
        encoding,
        maxOutputBytes,
        kumaLine,
        domainPinning,
        enforcement,
        auditLogPath);
  }

  /**
   * These options with another encoding.
   *
   * @param encoding how chains are selected, not null
   * @return a copy with that encoding and everything else unchanged; never null
   * @throws NullPointerException when {@code encoding} is null
   * @throws IllegalArgumentException for {@link Encoding#MATCHER} under {@link
   *     TranslationProfile#KUMA}
   */
  public TranslatorOptions withEncoding(Encoding encoding) {
    return new TranslatorOptions(
        profile,
        noMatchBody,
        encoding,
        maxOutputBytes,
        kumaLine,
        domainPinning,
        enforcement,
        auditLogPath);
  }

  /**
   * These options with another Kuma line for the kuma profile.
   *
   * @param kumaLine the Kuma line whose plugin the {@link TranslationProfile#KUMA} profile
   *     reproduces, not null; ignored by the {@link TranslationProfile#EXACT} profile
   * @return a copy with that line and everything else unchanged; never null
   * @throws NullPointerException when {@code kumaLine} is null
   */
  public TranslatorOptions withKumaLine(KumaLine kumaLine) {
    return new TranslatorOptions(
        profile,
        noMatchBody,
        encoding,
        maxOutputBytes,
        kumaLine,
        domainPinning,
        enforcement,
        auditLogPath);
  }

  /**
   * These options with another pinning of Domain entries for the exact profile.
   *
   * @param pinning where the {@link TranslationProfile#EXACT} profile sends the traffic of Domain
   *     entries, not null
   * @return a copy with that pinning and everything else unchanged; never null
   * @throws NullPointerException when {@code pinning} is null
   * @throws IllegalArgumentException for {@link TranslationProfile#KUMA} with a pinning other than
   *     its Kuma line's
   */
  public TranslatorOptions withDomainPinning(DomainPinning pinning) {
    return new TranslatorOptions(
        profile,
        noMatchBody,
        encoding,
        maxOutputBytes,
        kumaLine,
        Optional.of(pinning),
        enforcement,
        auditLogPath);
  }

  /**
   * These options with another enforcement for the exact profile.
   *
   * @param enforcement what the {@link TranslationProfile#EXACT} profile does with traffic the
   *     policy does not allow, not null
   * @return a copy with that enforcement and everything else unchanged; never null
   * @throws NullPointerException when {@code enforcement} is null
   * @throws IllegalArgumentException for {@link Enforcement#AUDIT} under {@link
   *     TranslationProfile#KUMA}
   */
  public TranslatorOptions withEnforcement(Enforcement enforcement) {
    return new TranslatorOptions(
        profile,
        noMatchBody,
        encoding,
        maxOutputBytes,
        kumaLine,
        domainPinning,
        enforcement,
        auditLogPath);
  }

  /**
   * These options with another path for the audit log.
   *
   * @param path where Envoy writes the audit log under {@link Enforcement#AUDIT}, a file path of
   *     the proxy's file system; not null
   * @return a copy with that path and everything else unchanged; never null
   * @throws NullPointerException when {@code path} is null
   * @throws IllegalArgumentException when {@code path} is blank, longer than 4,096 characters or
   *     has control characters
   */
  public TranslatorOptions withAuditLogPath(String path) {
    return new TranslatorOptions(
        profile, noMatchBody, encoding, maxOutputBytes, kumaLine, domainPinning, enforcement, path);
  }

  /**
   * The pinning in force: the one given, else the Kuma line's ({@link DomainPinning#OFF} under 2.x,
   * {@link DomainPinning#DNS} under 3.x). Under the {@link TranslationProfile#KUMA} profile it is
   * always the line's.
   *
   * @return the pinning, never null
   */
  public DomainPinning effectiveDomainPinning() {
    return domainPinning.orElse(DomainPinning.defaultFor(kumaLine));
  }

  /**
   * The defaults: {@link TranslationProfile#EXACT} with {@link Encoding#LEGACY}. Pass {@link
   * TranslationProfile#KUMA} explicitly for Kuma's output.
   *
   * @return the options of {@link #of(TranslationProfile) of(EXACT)}, never null
   */
  public static TranslatorOptions defaults() {
    return of(TranslationProfile.EXACT);
  }
}
