package dev.meshpassthrough.cli;

import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.testkit.Verdict;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The report of one replay, in text or as the tree {@code --output json} prints; deterministic: the
 * same input gives the same bytes.
 *
 * <p>Classes are sorted by Envoy's verdict (denied first), then by line count, descending, then by
 * their text. Top denied destinations are sorted by line count, descending, then by text.
 *
 * @param format the name of the input's format
 * @param profile the translation profile whose Envoy decided, lower case
 * @param lines the lines read
 * @param malformed the malformed lines: their count and the first ones
 * @param classes every class, sorted
 */
record ReplayReport(
    String format,
    String profile,
    long lines,
    MalformedLines malformed,
    List<ReplayEngine.ClassResult> classes) {

  /** How many denied destinations the summary lists. */
  static final int TOP_DENIED = 10;

  private static final Comparator<ReplayEngine.ClassResult> ORDER =
      Comparator.<ReplayEngine.ClassResult, Boolean>comparing(c -> envoyAllows(c.decision()))
          .thenComparing(ReplayEngine.ClassResult::count, Comparator.reverseOrder())
          .thenComparing(c -> c.connection().toString());

  /** The report of {@code engine}'s classes, sorted. */
  static ReplayReport of(
      String format, String profile, long lines, MalformedLines malformed, ReplayEngine engine) {
    List<ReplayEngine.ClassResult> classes = new ArrayList<>(engine.results());
    classes.sort(ORDER);
    return new ReplayReport(format, profile, lines, malformed, List.copyOf(classes));
  }

  /** Whether Envoy denies any line. */
  boolean anyDenied() {
    return classes.stream().anyMatch(c -> !envoyAllows(c.decision()));
  }

  /** The text report, ending in a newline. */
  String text() {
    StringBuilder out = new StringBuilder();
    out.append("replay of ").append(lines).append(" lines (").append(format);
    out.append("), Envoy of profile ").append(profile).append('\n');
    for (ReplayEngine.ClassResult c : classes) {
      ReplayEngine.ClassDecision e = c.decision();
      out.append(
          String.format(
              Locale.ROOT,
              "%-5s %10d  %s  (intent %s",
              e.envoy(),
              c.count(),
              c.connection(),
              e.intent()));
      if (!e.coveringEntries().isEmpty()) {
        out.append(", ").append(entry(e, 0));
        int more = e.coveringEntries().size() - 1;
        if (more > 0) {
          out.append(" and ").append(more).append(" more");
        }
      }
      if (!e.agrees()) {
        out.append("; DISAGREE");
        e.knownLimitation().ifPresent(id -> out.append(", known Kuma limitation ").append(id));
      }
      out.append(")\n");
    }
    Summary summary = summary();
    out.append('\n');
    out.append(
        String.format(
            Locale.ROOT,
            "lines: %d read, %d connections, %d malformed\n",
            lines,
            summary.allowed + summary.denied,
            malformed.count()));
    for (MalformedLines.Line line : malformed.first()) {
      out.append("  line ").append(line.number()).append(": ").append(line.reason()).append('\n');
    }
    if (malformed.count() > malformed.first().size()) {
      out.append("  (")
          .append(malformed.count() - malformed.first().size())
          .append(" more malformed lines not listed)\n");
    }
    out.append(
        String.format(
            Locale.ROOT,
            "classes: %d, %d where the intent and Envoy disagree\n",
            classes.size(),
            summary.disagreeing));
    out.append(
        String.format(
            Locale.ROOT,
            "connections: %d allowed, %d denied by Envoy\n",
            summary.allowed,
            summary.denied));
    if (!summary.topDenied.isEmpty()) {
      out.append("top denied destinations:\n");
      for (Map.Entry<String, Long> d : summary.topDenied) {
        out.append(String.format(Locale.ROOT, "  %10d  %s\n", d.getValue(), d.getKey()));
      }
    }
    return out.toString();
  }

  /** The tree of {@code --output json}; its shape is documented on {@link ReplayCommand}. */
  Map<String, @Nullable Object> tree() {
    Map<String, @Nullable Object> root = new LinkedHashMap<>();
    Summary summary = summary();
    root.put("format", format);
    root.put("profile", profile);
    root.put("lines", lines);
    root.put("connections", summary.allowed + summary.denied);
    root.put("malformed", malformed.count());
    List<Object> bad = new ArrayList<>();
    for (MalformedLines.Line line : malformed.first()) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("line", line.number());
      item.put("reason", line.reason());
      bad.add(item);
    }
    root.put("malformedLines", bad);
    List<Object> items = new ArrayList<>();
    for (ReplayEngine.ClassResult c : classes) {
      ReplayEngine.ClassDecision e = c.decision();
      Map<String, @Nullable Object> item = new LinkedHashMap<>();
      item.put("protocol", c.connection().protocol().wireName());
      item.put("connection", c.connection().connection().toString());
      item.put("destination", c.connection().destination());
      item.put("count", c.count());
      item.put("envoy", e.envoy().name());
      item.put("outcome", e.outcome().name());
      item.put("intent", e.intent().name());
      item.put("agree", e.agrees());
      item.put("knownLimitation", e.knownLimitation().orElse(null));
      List<Object> covering = new ArrayList<>();
      for (int i = 0; i < e.coveringEntries().size(); i++) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("index", e.coveringEntries().get(i));
        entry.put("entry", e.coveredBy().get(i).toString());
        covering.add(entry);
      }
      item.put("coveringEntries", covering);
      items.add(item);
    }
    root.put("classes", items);
    Map<String, Object> sums = new LinkedHashMap<>();
    sums.put("classes", classes.size());
    sums.put("allowedLines", summary.allowed);
    sums.put("deniedLines", summary.denied);
    sums.put("disagreeingClasses", summary.disagreeing);
    List<Object> top = new ArrayList<>();
    for (Map.Entry<String, Long> d : summary.topDenied) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("destination", d.getKey());
      item.put("count", d.getValue());
      top.add(item);
    }
    sums.put("topDenied", top);
    root.put("summary", sums);
    return root;
  }

  private static String entry(ReplayEngine.ClassDecision e, int i) {
    Match match = e.coveredBy().get(i);
    return "appendMatch[" + e.coveringEntries().get(i) + "] " + match;
  }

  private static boolean envoyAllows(ReplayEngine.ClassDecision e) {
    return e.envoy() == Verdict.ALLOW;
  }

  private Summary summary() {
    long allowed = 0;
    long denied = 0;
    int disagreeing = 0;
    Map<String, Long> deniedBy = new HashMap<>();
    for (ReplayEngine.ClassResult c : classes) {
      if (envoyAllows(c.decision())) {
        allowed += c.count();
      } else {
        denied += c.count();
        deniedBy.merge(c.connection().destination(), c.count(), Long::sum);
      }
      if (!c.decision().agrees()) {
        disagreeing++;
      }
    }
    List<Map.Entry<String, Long>> top = new ArrayList<>(deniedBy.entrySet());
    top.sort(
        Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
            .thenComparing(Map.Entry.comparingByKey()));
    return new Summary(
        allowed,
        denied,
        disagreeing,
        List.copyOf(top.subList(0, Math.min(TOP_DENIED, top.size()))));
  }

  private record Summary(
      long allowed, long denied, int disagreeing, List<Map.Entry<String, Long>> topDenied) {}
}
