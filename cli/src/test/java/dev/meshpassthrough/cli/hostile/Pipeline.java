package dev.meshpassthrough.cli.hostile;

import dev.meshpassthrough.core.document.PolicyDocument;
import dev.meshpassthrough.core.parse.ParseResult;
import dev.meshpassthrough.core.parse.PolicyParser;
import dev.meshpassthrough.core.resolve.ControlPlaneContext;
import dev.meshpassthrough.core.resolve.KumaLine;
import dev.meshpassthrough.core.resolve.PolicyResolver;
import dev.meshpassthrough.core.resolve.PolicySet;
import dev.meshpassthrough.core.resolve.ProxyDescriptor;
import dev.meshpassthrough.core.resolve.Resolution;
import dev.meshpassthrough.envoy.Encoding;
import dev.meshpassthrough.envoy.PassthroughTranslator;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslationException;
import dev.meshpassthrough.envoy.TranslationProfile;
import dev.meshpassthrough.envoy.TranslationResult;
import dev.meshpassthrough.envoy.TranslatorOptions;
import dev.meshpassthrough.testkit.acceptance.EnvoyAcceptance;
import dev.meshpassthrough.validation.PolicyValidator;
import dev.meshpassthrough.validation.ValidationResult;
import dev.meshpassthrough.validation.Violation;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The library's whole road for one input, as a list of steps run in order: parse, validate, resolve
 * the policies of one proxy, translate every effective conf with every profile, check what Envoy
 * would make of the result. A new stage is one more step ({@link #with}).
 *
 * <p>A step may end only in the library's documented results: parse problems, violations,
 * resolution problems and acceptance problems as data; {@link TranslationException} from a
 * translator; {@link IllegalArgumentException} from {@link PolicySet#of} for two policies of one
 * mesh with one name. Anything else a step throws escapes {@link #run}: that is what the fuzz tests
 * hunt for. Every step writes what it found into the run's transcript, a deterministic text that
 * the concurrency and determinism tests compare byte for byte, and whose lines for problems and
 * violations read exactly as the command line prints them.
 *
 * <p>The services a pipeline holds (parser, validator, resolver, translators) are the library's
 * stateless ones, so one pipeline is shared by every thread that runs it.
 */
final class Pipeline {
  /** The proxy the resolve step resolves: a sidecar of mesh default with a transparent proxy. */
  static final ProxyDescriptor PROXY =
      ProxyDescriptor.builder("backend-1.kuma-demo", "default")
          .labels(
              Map.of(
                  "kuma.io/display-name",
                  "backend-1",
                  "k8s.kuma.io/namespace",
                  "kuma-demo",
                  "app",
                  "backend",
                  "kuma.io/zone",
                  "zone-1"))
          .inbound(8080)
          .build();

  /** One step: reads what the earlier steps left in the run and adds its own findings. */
  interface Step {
    void apply(PipelineRun run);
  }

  private final List<Step> steps;

  Pipeline(List<Step> steps) {
    this.steps = List.copyOf(steps);
  }

  /**
   * Parse with the default limits; validate strictly for Kuma 2.x; take each valid policy's conf as
   * the effective conf of a proxy of its own, and resolve all of them for {@link #PROXY} as a Kuma
   * 2.x zone would; translate every effective conf with every profile and encoding on the default
   * dual-stack transparent proxy; check every translation for what Envoy would reject.
   */
  static Pipeline standard() {
    return new Pipeline(
        List.of(
            parse(PolicyParser.create()),
            validate(PolicyValidator.create()),
            ownConfs(),
            resolve(PolicyResolver.create(), PROXY, ControlPlaneContext.zone(KumaLine.V2)),
            translateWithEveryProfile(ProxyContext.defaultTransparentProxy()),
            acceptanceCheck()));
  }

  /** This pipeline with {@code step} inserted at {@code position} (0 is first). */
  Pipeline with(int position, Step step) {
    List<Step> more = new ArrayList<>(steps);
    more.add(position, step);
    return new Pipeline(more);
  }

  /** Runs every step over the bytes of one input. */
  PipelineRun run(byte[] input, String source) {
    return run(new PipelineRun(parser -> parser.parse(new ByteArrayInputStream(input), source)));
  }

  /** Runs every step over a file (or directory), read as the command line reads it. */
  PipelineRun run(Path input) {
    return run(new PipelineRun(parser -> parser.parse(input)));
  }

  private PipelineRun run(PipelineRun run) {
    for (Step step : steps) {
      step.apply(run);
    }
    return run;
  }

  /** Reads the input; each problem becomes a transcript line as {@code validate} prints it. */
  static Step parse(PolicyParser parser) {
    return run -> {
      ParseResult parsed = run.read(parser);
      parsed.problems().forEach(problem -> run.note("parse: " + problem));
      run.documents.addAll(parsed.documents());
    };
  }

  /**
   * Validates every document, together as {@code validate} does; each violation becomes a line as
   * it prints it.
   */
  static Step validate(PolicyValidator validator) {
    return run -> {
      List<ValidationResult> results = validator.validateAll(run.documents);
      for (int i = 0; i < results.size(); i++) {
        PolicyDocument document = run.documents.get(i);
        ValidationResult result = results.get(i);
        for (Violation v : result.violations()) {
          run.note(
              "validate: "
                  + document.locationOf(v.path())
                  + ": "
                  + v.severity().wireName()
                  + ": "
                  + v.path()
                  + ": "
                  + v.message()
                  + " ["
                  + v.ruleId()
                  + "]");
        }
        result.policy().ifPresent(run.policies::add);
      }
    };
  }

  /** Each valid policy's conf as the effective conf of a proxy that only it selects. */
  static Step ownConfs() {
    return run -> {
      for (int i = 0; i < run.policies.size(); i++) {
        run.confs.add(new PipelineRun.Labelled<>("policy #" + i, run.policies.get(i).conf()));
      }
    };
  }

  /** The valid policies as a control plane's store, resolved for one proxy. */
  static Step resolve(PolicyResolver resolver, ProxyDescriptor proxy, ControlPlaneContext context) {
    return run -> {
      if (run.policies.isEmpty()) {
        return;
      }
      PolicySet store;
      try {
        store = PolicySet.of(run.policies);
      } catch (IllegalArgumentException e) {
        run.note(
            "resolve: no store: " + e.getMessage()); // documented: one mesh, one name per policy
        return;
      }
      Resolution resolution = resolver.resolve(store, proxy, context);
      run.note(
          "resolve: applied "
              + resolution.appliedNames()
              + "; "
              + resolution.outcome().kind().wireName()
              + ": "
              + resolution.outcome().reason());
      resolution.outcome().problems().forEach(problem -> run.note("resolve: problem: " + problem));
      resolution.warningTexts().forEach(warning -> run.note("resolve: warning: " + warning));
      resolution
          .effective()
          .ifPresent(
              conf -> run.confs.add(new PipelineRun.Labelled<>("resolved " + proxy.name(), conf)));
    };
  }

  /**
   * A translator for every profile and encoding the translator offers together, named {@code KUMA},
   * {@code EXACT}, {@code EXACT/MATCHER}: new profiles and encodings join without a change here.
   */
  static List<PipelineRun.Labelled<PassthroughTranslator>> everyTranslator() {
    List<PipelineRun.Labelled<PassthroughTranslator>> translators = new ArrayList<>();
    for (TranslationProfile profile : TranslationProfile.values()) {
      for (Encoding encoding : Encoding.values()) {
        TranslatorOptions options;
        try {
          options = TranslatorOptions.of(profile).withEncoding(encoding);
        } catch (IllegalArgumentException e) {
          continue; // documented: the profile does not write this encoding
        }
        String label = encoding == Encoding.LEGACY ? profile.name() : profile + "/" + encoding;
        translators.add(new PipelineRun.Labelled<>(label, PassthroughTranslator.create(options)));
      }
    }
    return List.copyOf(translators);
  }

  /** Translates every effective conf with {@link #everyTranslator()}. */
  static Step translateWithEveryProfile(ProxyContext proxy) {
    List<PipelineRun.Labelled<PassthroughTranslator>> translators = everyTranslator();
    return run -> {
      for (var conf : run.confs) {
        for (var translator : translators) {
          String label = "translate " + translator.label() + " " + conf.label();
          try {
            TranslationResult result = translator.value().translate(conf.value(), proxy);
            result.notes().forEach(note -> run.note(label + ": note: " + note.message()));
            run.note(label + ": " + result.toJson());
            run.translations.add(new PipelineRun.Labelled<>(label, result));
          } catch (TranslationException e) {
            e.messages().forEach(message -> run.note(label + ": error: " + message));
          }
        }
      }
    };
  }

  /** What Envoy would reject, or mishandle, in every translation. */
  static Step acceptanceCheck() {
    return run -> {
      for (var translation : run.translations) {
        EnvoyAcceptance.check(translation.value())
            .forEach(problem -> run.note("accept " + translation.label() + ": " + problem));
      }
    };
  }
}
