package dev.meshpassthrough.testkit.internal;

import dev.meshpassthrough.testkit.TraceStep;
import dev.meshpassthrough.testkit.TraceStep.Stage;
import java.util.ArrayList;
import java.util.List;

/** Collects the trace of one simulation; nesting follows {@link #enter()} and {@link #leave()}. */
final class Tracer {
  private final List<TraceStep> steps = new ArrayList<>();
  private int depth;

  /** Adds a step at the current depth. */
  void add(Stage stage, String message) {
    steps.add(new TraceStep(stage, depth, message));
  }

  /** Adds a step at depth 0, whatever the current depth. */
  void addTop(Stage stage, String message) {
    steps.add(new TraceStep(stage, 0, message));
  }

  /** Steps added from now on are children of the last one. */
  void enter() {
    depth++;
  }

  /** Back to the parent's level. */
  void leave() {
    if (depth == 0) {
      throw new IllegalStateException("leave() without enter()");
    }
    depth--;
  }

  /** The message of the last step, or {@code ""}. */
  String lastMessage() {
    return steps.isEmpty() ? "" : steps.get(steps.size() - 1).message();
  }

  List<TraceStep> steps() {
    return List.copyOf(steps);
  }
}
