package dev.meshpassthrough.core.parse.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.SourceLocation;
import dev.meshpassthrough.core.parse.ParseLimits;
import dev.meshpassthrough.core.parse.ParseProblem;
import dev.meshpassthrough.core.parse.internal.EventYamlFactory.EventYamlParser;
import dev.meshpassthrough.core.parse.internal.Node.Entry;
import dev.meshpassthrough.core.parse.internal.Node.ListNode;
import dev.meshpassthrough.core.parse.internal.Node.MapNode;
import dev.meshpassthrough.core.parse.internal.Node.ScalarKind;
import dev.meshpassthrough.core.parse.internal.Node.ScalarNode;
import dev.meshpassthrough.core.parse.internal.StopInput.Reason;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;

/**
 * Builds the located tree of one document at a time from a Jackson token stream.
 *
 * <p>Iterative, with an explicit stack, so depth never costs Java stack. Enforces the nesting,
 * entry, document and alias limits as it goes. YAML aliases are resolved here (Jackson does not):
 * an alias is the anchored node itself, shared, and its expanded size counts against a budget so
 * that an alias bomb stops early instead of filling memory or time. One reader serves one input.
 *
 * <p>For the policy parser, the reader binds the entries of a list that stands where a spec's
 * {@code appendMatch} does ({@code spec.default.appendMatch}, or {@code default.appendMatch} of a
 * bare spec) as it finishes each ({@link ListNode#bound()}), instead of keeping them as trees until
 * the whole document is read: a large policy's entries are read, bound and dropped while they are
 * still in the cache, and the trees of thousands of entries are never all held at once.
 */
final class TreeReader {
  /** What becomes of the entries of a list where a spec's {@code appendMatch} stands. */
  enum AppendMatch {
    /** Kept as trees, like every other list. */
    AS_TREES,
    /** Bound as each is read (and only its binding kept), unless the list has an anchor. */
    BOUND_WHILE_READING
  }

  /** Above this many keys a map indexes them instead of scanning to find duplicates. */
  private static final int SCAN_LIMIT = 8;

  private final JsonParser parser;
  private final @Nullable EventYamlParser yaml;
  private final ParseLimits limits;
  private final String source;
  private final SyntaxErrors errors;
  private final AppendMatch appendMatch;
  private final Map<String, Node> anchors = new HashMap<>();
  private int documents;
  private int aliases;
  private long documentNodes;

  TreeReader(JsonParser parser, ParseLimits limits, String source, SyntaxErrors errors) {
    this(parser, limits, source, errors, AppendMatch.AS_TREES);
  }

  TreeReader(
      JsonParser parser,
      ParseLimits limits,
      String source,
      SyntaxErrors errors,
      AppendMatch appendMatch) {
    this.appendMatch = appendMatch;
    this.parser = parser;
    this.yaml = parser instanceof EventYamlParser events ? events : null;
    this.limits = limits;
    this.source = source;
    this.errors = errors;
  }

  /** The root of the next document, or null at the end of the input. */
  @Nullable Node next() throws StopInput {
    try {
      JsonToken token = parser.nextToken();
      if (token == null) {
        return null;
      }
      documents++;
      if (documents > limits.maxDocuments()) {
        throw limit(LimitMessages.documents(limits.maxDocuments()));
      }
      // Anchors are scoped to their document.
      anchors.clear();
      documentNodes = 0;
      return readValue(token);
    } catch (IOException | RuntimeException e) {
      throw errors.describe(e, parser.currentLocation());
    }
  }

  private Node readValue(JsonToken first) throws IOException, StopInput {
    Deque<Frame> open = new ArrayDeque<>();
    JsonToken token = first;
    while (true) {
      Node done = null;
      refuseUnknownTag(token);
      switch (token) {
        case START_OBJECT, START_ARRAY -> {
          if (open.size() >= limits.maxNestingDepth()) {
            throw limit(LimitMessages.nestingDepth(limits.maxNestingDepth()));
          }
          SourceLocation at = tokenLocation();
          @Nullable String anchor = anchor();
          @Nullable Frame parent = open.peek();
          open.push(
              token == JsonToken.START_OBJECT
                  ? new MapFrame(at, anchor, parent)
                  : isAppendMatch(parent, anchor)
                      ? new BoundListFrame(at, parent, new BoundMatches(source))
                      : new ListFrame(at, anchor, parent));
        }
        case END_OBJECT, END_ARRAY -> done = finish(open.pop());
        case FIELD_NAME -> {
          MapFrame map = (MapFrame) open.element();
          if (map.size() >= limits.maxEntries()) {
            throw limit(LimitMessages.mapEntries(limits.maxEntries()));
          }
          map.key(parser.currentName(), tokenLocation());
        }
        default -> done = scalarOrAlias(token);
      }
      if (done != null) {
        Frame parent = open.peek();
        if (parent == null) {
          return done;
        }
        if (parent instanceof ListFrame list && list.size() >= limits.maxEntries()) {
          // At the start of the first entry too many, not at the token that ended it.
          throw new StopInput(
              Reason.LIMIT,
              new ParseProblem(
                  done.location(),
                  FieldPath.root(),
                  LimitMessages.listEntries(limits.maxEntries())));
        }
        parent.add(done);
      }
      token = parser.nextToken();
      if (token == null) {
        throw new IOException("unexpected end of input inside a map or list");
      }
    }
  }

  /**
   * Whether a list opened in {@code parent} stands where a spec's {@code appendMatch} does: under
   * {@code appendMatch} of a map under {@code default} of either the root (a bare spec) or the
   * root's {@code spec}. Not when it has an anchor: an alias elsewhere may need its items.
   */
  private boolean isAppendMatch(@Nullable Frame parent, @Nullable String anchor) {
    if (appendMatch != AppendMatch.BOUND_WHILE_READING
        || anchor != null
        || !(parent instanceof MapFrame defaults)
        || !defaults.pendingKey.equals("appendMatch")
        || !"default".equals(defaults.key)
        || defaults.parent == null) {
      return false;
    }
    Frame holder = defaults.parent;
    return holder.parent == null || (holder.parent.parent == null && "spec".equals(holder.key));
  }

  /** Stops at a tag Jackson would silently drop (see {@link YamlTags}). */
  private void refuseUnknownTag(JsonToken token) throws StopInput {
    if (yaml == null || token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
      return;
    }
    Optional<String> refusal = YamlTags.refusal(yaml.lastEvent());
    if (refusal.isPresent()) {
      throw new StopInput(
          Reason.SYNTAX,
          new ParseProblem(tokenLocation(), FieldPath.root(), "invalid YAML: " + refusal.get()));
    }
  }

  private Node finish(Frame frame) throws StopInput {
    Node node = frame.build();
    count(1);
    if (frame.anchor != null) {
      anchors.put(frame.anchor, node);
    }
    return node;
  }

  private Node scalarOrAlias(JsonToken token) throws IOException, StopInput {
    @Nullable Event event = yaml == null ? null : yaml.lastEvent();
    if (event instanceof AliasEvent alias) {
      return resolve(alias.getAnchor());
    }
    SourceLocation at = tokenLocation();
    ScalarNode node =
        switch (token) {
          case VALUE_STRING -> new ScalarNode(at, ScalarKind.STRING, parser.getText(), null);
          case VALUE_NUMBER_INT ->
              new ScalarNode(at, ScalarKind.INTEGER, parser.getText(), parser.getBigIntegerValue());
          case VALUE_NUMBER_FLOAT -> new ScalarNode(at, ScalarKind.FLOAT, parser.getText(), null);
          case VALUE_TRUE, VALUE_FALSE ->
              new ScalarNode(at, ScalarKind.BOOLEAN, parser.getText(), null);
          case VALUE_NULL -> new ScalarNode(at, ScalarKind.NULL, "null", null);
          default -> new ScalarNode(at, ScalarKind.OTHER, "", null);
        };
    count(1);
    @Nullable String anchor = anchor();
    if (anchor != null) {
      anchors.put(anchor, node);
    }
    return node;
  }

  private Node resolve(String anchor) throws StopInput {
    aliases++;
    if (aliases > limits.maxAliases()) {
      throw limit(LimitMessages.aliases(limits.maxAliases()));
    }
    Node target = anchors.get(anchor);
    if (target == null) {
      throw new StopInput(
          Reason.SYNTAX,
          new ParseProblem(
              tokenLocation(),
              FieldPath.root(),
              "invalid YAML: alias *"
                  + anchor
                  + " refers to no complete anchor &"
                  + anchor
                  + " before it in this document"));
    }
    count(target.weight());
    return target;
  }

  /** Counts expanded values against the budget that stops alias bombs. */
  private void count(long nodes) throws StopInput {
    documentNodes += nodes;
    if (documentNodes > limits.maxInputBytes()) {
      throw limit(LimitMessages.aliasExpansion(limits.maxInputBytes()));
    }
  }

  private @Nullable String anchor() {
    @Nullable Event event = yaml == null ? null : yaml.lastEvent();
    return event instanceof NodeEvent node ? node.getAnchor() : null;
  }

  private StopInput limit(String message) {
    return new StopInput(
        Reason.LIMIT, new ParseProblem(tokenLocation(), FieldPath.root(), message));
  }

  private SourceLocation tokenLocation() {
    JsonLocation at = parser.currentTokenLocation();
    return new SourceLocation(source, Math.max(at.getLineNr(), 0), Math.max(at.getColumnNr(), 0));
  }

  /** A map or list being read. */
  private abstract static class Frame {
    final SourceLocation location;
    final @Nullable String anchor;
    final @Nullable Frame parent;
    // The key this value stands under in its parent, when the parent is a map.
    final @Nullable String key;
    long weight = 1;

    Frame(SourceLocation location, @Nullable String anchor, @Nullable Frame parent) {
      this.location = location;
      this.anchor = anchor;
      this.parent = parent;
      this.key = parent instanceof MapFrame map ? map.pendingKey : null;
    }

    abstract void add(Node child);

    abstract Node build();
  }

  private static class ListFrame extends Frame {
    final List<Node> items = new ArrayList<>();

    ListFrame(SourceLocation location, @Nullable String anchor, @Nullable Frame parent) {
      super(location, anchor, parent);
    }

    int size() {
      return items.size();
    }

    @Override
    void add(Node child) {
      items.add(child);
      weight += child.weight();
    }

    @Override
    Node build() {
      return new ListNode(location, List.copyOf(items), weight);
    }
  }

  /** A spec's {@code appendMatch} list, whose entries are bound as they are read. */
  private static final class BoundListFrame extends ListFrame {
    final BoundMatches bound;
    int size;

    BoundListFrame(SourceLocation location, @Nullable Frame parent, BoundMatches bound) {
      super(location, null, parent);
      this.bound = bound;
    }

    @Override
    int size() {
      return size;
    }

    @Override
    void add(Node child) {
      bound.add(child);
      size++;
      weight += child.weight();
    }

    @Override
    Node build() {
      return new ListNode(location, List.of(), weight, Optional.of(bound));
    }
  }

  private static final class MapFrame extends Frame {
    final List<Entry> entries = new ArrayList<>();
    final List<Entry> duplicates = new ArrayList<>(0);
    @Nullable Map<String, Entry> index;
    String pendingKey = "";
    SourceLocation pendingKeyLocation;

    MapFrame(SourceLocation location, @Nullable String anchor, @Nullable Frame parent) {
      super(location, anchor, parent);
      this.pendingKeyLocation = location;
    }

    int size() {
      return entries.size() + duplicates.size();
    }

    void key(String key, SourceLocation at) {
      pendingKey = key;
      pendingKeyLocation = at;
    }

    @Override
    void add(Node child) {
      Entry entry = new Entry(pendingKey, pendingKeyLocation, child);
      weight += child.weight();
      if (find(pendingKey) != null) {
        duplicates.add(entry);
        return;
      }
      entries.add(entry);
      if (index != null) {
        index.put(entry.key(), entry);
      } else if (entries.size() > SCAN_LIMIT) {
        index = new HashMap<>();
        for (Entry existing : entries) {
          index.put(existing.key(), existing);
        }
      }
    }

    private @Nullable Entry find(String key) {
      if (index != null) {
        return index.get(key);
      }
      // By position: this runs for every key read, and an iterator per key is measurable.
      for (int i = 0; i < entries.size(); i++) {
        Entry entry = entries.get(i);
        if (entry.key().equals(key)) {
          return entry;
        }
      }
      return null;
    }

    @Override
    Node build() {
      return new MapNode(location, List.copyOf(entries), List.copyOf(duplicates), weight);
    }
  }
}
