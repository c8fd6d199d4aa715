package dev.meshpassthrough.core.resolve.internal;

import dev.meshpassthrough.core.SourceLocation;
import dev.meshpassthrough.core.parse.internal.YamlTags;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;

/**
 * The text of a YAML (or JSON) input read with Jackson trees, such as a proxy file, read once more
 * as YAML events: to refuse the tags Jackson would drop ({@link YamlTags}), and to find the line
 * and column of a field path for a message. Jackson trees keep no locations; errors are rare, so
 * finding one location costs one more pass over the text, only then.
 *
 * <p>Paths are rendered as the readers render them: keys joined by dots, list indexes in brackets
 * ({@code existing.listeners[0].envoy}, {@code dataplane.labels.kuma.io/zone}). Public only for the
 * translator's proxy-context reader, which reads the same file, and the command line's resource
 * reader; not an API.
 */
public final class LocatedYaml {
  private final String text;
  private final String source;

  /** The text of the input named {@code source}. */
  public LocatedYaml(String text, String source) {
    this.text = text;
    this.source = source;
  }

  /** The source name. */
  public String source() {
    return source;
  }

  /**
   * An exception for a mistake at {@code path}: {@code source:line:column: path: message}, at the
   * key of the field (the item of a list), or at the nearest written parent when the field is not
   * written.
   */
  public IllegalArgumentException fail(String path, String message) {
    return new IllegalArgumentException(locate(path) + ": " + path + ": " + message);
  }

  /**
   * Refuses a tag the readers do not know.
   *
   * @throws IllegalArgumentException naming the tag, its line and column, and its path
   */
  public void refuseUnknownTags() {
    walk(
        (path, event, at) -> {
          Optional<String> refusal = YamlTags.refusal(event);
          if (refusal.isPresent()) {
            throw new IllegalArgumentException(
                location(at)
                    + ": "
                    + (path.isEmpty() ? "the document" : path)
                    + ": "
                    + refusal.get());
          }
          return true;
        });
  }

  /**
   * Where {@code path} is written, or its nearest written parent; the start of the text when
   * neither is.
   */
  public SourceLocation locate(String path) {
    // The exact path, else the longest written parent: a field that is not written is placed at
    // the map or list it belongs in.
    Mark[] best = {null};
    int[] bestLength = {-1};
    walk(
        (at, event, mark) -> {
          if (at.equals(path)) {
            best[0] = mark;
            return false;
          }
          boolean parent =
              at.isEmpty()
                  || (path.startsWith(at)
                      && (path.charAt(at.length()) == '.' || path.charAt(at.length()) == '['));
          if (parent && at.length() > bestLength[0]) {
            best[0] = mark;
            bestLength[0] = at.length();
          }
          return true;
        });
    return best[0] == null ? new SourceLocation(source, 1, 1) : location(best[0]);
  }

  private SourceLocation location(Mark mark) {
    return new SourceLocation(source, mark.getLine() + 1, mark.getColumn() + 1);
  }

  /** Sees every node (keys included) with its path; returns false to stop. */
  @FunctionalInterface
  private interface Visitor {
    boolean visit(String path, Event event, Mark at);
  }

  /** A map or list being walked. */
  private static final class Frame {
    final String path;
    final boolean map;

    /** Whether this collection is itself a key (a complex key), not a value. */
    final boolean isKey;

    boolean expectingKey = true;
    int index;
    String key = "";

    Frame(String path, boolean map, boolean isKey) {
      this.path = path;
      this.map = map;
      this.isKey = isKey;
    }

    String child() {
      return map ? (path.isEmpty() ? key : path + "." + key) : path + "[" + index + "]";
    }
  }

  /**
   * Walks the events of the first document. A key is visited with the path of the field it opens,
   * at the key, before the value is visited at the value; a list item at its start. Text that is
   * not YAML ends the walk quietly: the readers read it first and report its syntax themselves.
   */
  private void walk(Visitor visitor) {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(Math.max(text.length() + 1, options.getCodePointLimit()));
    options.setMaxAliasesForCollections(Integer.MAX_VALUE);
    Deque<Frame> open = new ArrayDeque<>();
    try {
      for (Event event : new Yaml(options).parse(new StringReader(text))) {
        if (event.is(Event.ID.DocumentEnd)) {
          return;
        }
        if (event instanceof CollectionEndEvent) {
          if (!open.pop().isKey) {
            valueDone(open);
          }
          continue;
        }
        if (!(event instanceof NodeEvent)) {
          continue;
        }
        Frame parent = open.peek();
        boolean isKey = parent != null && parent.map && parent.expectingKey;
        if (isKey) {
          parent.key = event instanceof ScalarEvent scalar ? scalar.getValue() : "?";
          parent.expectingKey = false;
        }
        String path = parent == null ? "" : parent.child();
        if (!visitor.visit(path, event, event.getStartMark())) {
          return;
        }
        if (event instanceof CollectionStartEvent) {
          open.push(new Frame(isKey ? "?" : path, event instanceof MappingStartEvent, isKey));
        } else if (!isKey) {
          valueDone(open);
        }
      }
    } catch (YAMLException e) {
      // not YAML from here on; see above
    }
  }

  private static void valueDone(Deque<Frame> open) {
    Frame parent = open.peek();
    if (parent == null) {
      return;
    }
    if (parent.map) {
      parent.expectingKey = true;
    } else {
      parent.index++;
    }
  }
}
