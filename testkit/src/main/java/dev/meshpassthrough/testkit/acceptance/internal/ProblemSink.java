package dev.meshpassthrough.testkit.acceptance.internal;

import dev.meshpassthrough.testkit.acceptance.AcceptanceProblem;
import java.util.ArrayList;
import java.util.List;

/** Collects the problems of one check run, for one resource at a time. */
public final class ProblemSink {
  private final List<AcceptanceProblem> problems = new ArrayList<>();
  private String resource = "";

  /** Problems reported from now on concern {@code resource}. */
  public void resource(String resource) {
    this.resource = resource;
  }

  void add(String path, String rule, String message) {
    problems.add(new AcceptanceProblem(resource, path, rule, message));
  }

  /** Every problem, in the order found. */
  public List<AcceptanceProblem> problems() {
    return List.copyOf(problems);
  }
}
