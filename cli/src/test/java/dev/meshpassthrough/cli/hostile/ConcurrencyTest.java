package dev.meshpassthrough.cli.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Eight threads sharing one pipeline, and so one parser, validator, resolver and translator per
 * profile, give byte for byte the transcripts of a sequential run. Each thread takes every input in
 * an order of its own (a shuffle with the thread's number as the recorded seed), several times, and
 * all start together, so that calls overlap as much as they can.
 */
class ConcurrencyTest {
  private static final int THREADS = 8;
  private static final int ROUNDS = 3;

  @Test
  void eightThreadsSharingOnePipeline_matchASequentialRunByteForByte() throws Exception {
    Pipeline shared = Pipeline.standard();
    List<Path> inputs = TestInputs.all();
    Map<Path, String> sequential = new LinkedHashMap<>();
    for (Path input : inputs) {
      sequential.put(input, shared.run(input).transcript());
    }

    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Map<Path, List<String>>>> results = new ArrayList<>();
      for (int thread = 0; thread < THREADS; thread++) {
        long seed = thread;
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return runShuffled(shared, inputs, seed);
                }));
      }
      start.countDown();

      for (int thread = 0; thread < THREADS; thread++) {
        Map<Path, List<String>> concurrent = results.get(thread).get(5, TimeUnit.MINUTES);
        for (Map.Entry<Path, List<String>> entry : concurrent.entrySet()) {
          assertThat(entry.getValue())
              .as("thread %d (seed %d), %s", thread, thread, entry.getKey())
              .hasSize(ROUNDS)
              .containsOnly(sequential.get(entry.getKey()));
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static Map<Path, List<String>> runShuffled(
      Pipeline shared, List<Path> inputs, long seed) {
    Map<Path, List<String>> transcripts = new LinkedHashMap<>();
    Random random = new Random(seed);
    for (int round = 0; round < ROUNDS; round++) {
      List<Path> order = new ArrayList<>(inputs);
      Collections.shuffle(order, random);
      for (Path input : order) {
        transcripts
            .computeIfAbsent(input, i -> new ArrayList<>())
            .add(shared.run(input).transcript());
      }
    }
    return transcripts;
  }
}
