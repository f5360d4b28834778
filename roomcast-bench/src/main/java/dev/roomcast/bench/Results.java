package dev.roomcast.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Every repetition's figures, plus why servers or scenarios were skipped or failed. */
public final class Results {
  /** One measured repetition. */
  public record Rep(
      String server,
      String scenario,
      int rep,
      Map<String, Double> metrics,
      List<Map<String, Object>> details) {}

  private final List<Rep> reps = new ArrayList<>();
  private final Set<String> servers = new LinkedHashSet<>();
  private final Set<String> scenarios = new LinkedHashSet<>();
  private final Map<String, String> notes = new LinkedHashMap<>();

  /** Declares a server column (in run order), even if it ends up skipped. */
  public synchronized void server(String name) {
    servers.add(name);
  }

  /** Declares a scenario (in run order). */
  public synchronized void scenario(String name) {
    scenarios.add(name);
  }

  /** Records one repetition. */
  public synchronized void add(Rep r) {
    servers.add(r.server());
    scenarios.add(r.scenario());
    reps.add(r);
  }

  /** Records why {@code server} (and optionally one scenario of it) has no figures. */
  public synchronized void note(String server, String scenario, String why) {
    notes.put(scenario == null ? server : server + "/" + scenario, why);
  }

  /** Server names in run order. */
  public synchronized List<String> servers() {
    return new ArrayList<>(servers);
  }

  /** Scenario names in run order. */
  public synchronized List<String> scenarios() {
    return new ArrayList<>(scenarios);
  }

  /** Skip and failure notes, keyed by server or server/scenario. */
  public synchronized Map<String, String> notes() {
    return new LinkedHashMap<>(notes);
  }

  /** All repetitions. */
  public synchronized List<Rep> reps() {
    return new ArrayList<>(reps);
  }

  /** Repetitions of one server and scenario. */
  public synchronized List<Rep> reps(String server, String scenario) {
    List<Rep> out = new ArrayList<>();
    for (Rep r : reps) {
      if (r.server().equals(server) && r.scenario().equals(scenario)) {
        out.add(r);
      }
    }
    return out;
  }

  /** Metric names seen for a scenario, in first-seen order. */
  public synchronized List<String> metrics(String scenario) {
    Set<String> out = new LinkedHashSet<>();
    for (Rep r : reps) {
      if (r.scenario().equals(scenario)) {
        out.addAll(r.metrics().keySet());
      }
    }
    return new ArrayList<>(out);
  }

  /** Median over repetitions; NaN when there are none. */
  public synchronized double median(String server, String scenario, String metric) {
    List<Double> v = new ArrayList<>();
    for (Rep r : reps(server, scenario)) {
      v.add(r.metrics().get(metric));
    }
    return Stats.median(v);
  }
}
