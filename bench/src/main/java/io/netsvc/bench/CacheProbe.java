package io.netsvc.bench;

import io.netsvc.cluster.NetsvcMember;
import io.netsvc.k8s.Informers;
import io.netsvc.k8s.WatchKind;
import io.netsvc.sim.progress.Progress;
import java.util.ArrayList;
import java.util.List;

/**
 * Weighs the members' informer caches, kind by kind, by what goes away: a class histogram of the
 * live heap (after a full GC), the kind's informer dropped (its fabric8 store; the member stops
 * watching the kind, so no event changes netsvc's records meanwhile), a histogram, netsvc's own
 * records of the kind forgotten, a histogram. Run after the entities were stopped, so that nothing
 * but the caches holds the objects and records. Strings a record shares with the fabric8 object it
 * was made from stay until the record goes, and so count as the record's; a record that keeps the
 * fabric8 object itself (the svclb DaemonSets) takes all of it into the records column. The sum per
 * kind is the cost of caching one object.
 */
final class CacheProbe {
  private CacheProbe() {}

  /**
   * The kinds' samples, the noise (bytes the heap moved with nothing dropped), the last heap, and
   * per step a line of the classes that went away most and grew most.
   */
  record Result(List<CacheTable.Sample> samples, long noise, long heapBytes, List<String> steps) {}

  /**
   * Every histogram here is taken while exactly one other is held (the previous one), so the
   * histograms' own objects cancel out of each difference; the caller should hold none.
   */
  static Result measure(List<NetsvcMember> members, Progress progress) throws Exception {
    progress.phase("caches: control, two class histograms 2 s apart with nothing dropped", -1);
    HeapHistogram warmUp = HeapProbe.histogram();
    HeapHistogram control = HeapProbe.histogram();
    warmUp = null;
    Thread.sleep(2000);
    HeapHistogram before = HeapProbe.histogram();
    long noise = control.bytes() - before.bytes();
    control = null;
    List<CacheTable.Sample> samples = new ArrayList<>();
    List<String> steps = new ArrayList<>();
    for (WatchKind<?> kind : WatchKind.ALL) {
      progress.phase("caches: dropping the " + kind + " informer, then its records", -1);
      long objects = 0;
      for (NetsvcMember m : members) {
        Informers informers = m.informers();
        if (informers != null) objects += informers.drop(kind);
      }
      HeapHistogram dropped = settled(noise);
      long informerBytes = before.bytes() - dropped.bytes();
      steps.add(step(kind + " informer", before.minus(dropped)));
      before = null;
      long records = 0;
      for (NetsvcMember m : members) records += m.forgetRecords(kind);
      HeapHistogram forgotten = settled(noise);
      long recordBytes = dropped.bytes() - forgotten.bytes();
      steps.add(step(kind + " records", dropped.minus(forgotten)));
      dropped = null;
      samples.add(
          new CacheTable.Sample(kind.toString(), objects, informerBytes, records, recordBytes));
      before = forgotten;
    }
    progress.endPhase();
    return new Result(samples, noise, before.bytes(), steps);
  }

  /**
   * A histogram once the heap has settled after a change (a stopped informer's watch closes
   * asynchronously and lets go of its store a moment later): histograms 1 s apart, up to 4, until
   * two in a row are within twice the noise (at least 256 KiB) of each other. Only the caller's
   * previous histogram is held while each is taken.
   */
  private static HeapHistogram settled(long noise) throws Exception {
    long within = Math.max(2 * Math.abs(noise), 256 * 1024);
    HeapHistogram h = HeapProbe.histogram();
    for (int i = 0; i < 3; i++) {
      long bytes = h.bytes();
      h = null;
      Thread.sleep(1000);
      h = HeapProbe.histogram();
      if (Math.abs(bytes - h.bytes()) <= within) break;
    }
    return h;
  }

  /** "step: N KiB; went: the 3 classes that went most; grew: the 2 that grew most". */
  private static String step(String name, HeapHistogram diff) {
    return String.format(
        java.util.Locale.ROOT,
        "%s: %.1f KiB; went: %s; grew: %s",
        name,
        diff.bytes() / 1024.0,
        classes(diff.top(3, n -> true)),
        classes(diff.grown(2)));
  }

  private static String classes(List<HeapHistogram.Row> rows) {
    return String.join(
        ", ",
        rows.stream()
            .map(
                r ->
                    String.format(
                        java.util.Locale.ROOT,
                        "%s %d (%.1f KiB)",
                        r.name(),
                        r.instances(),
                        r.bytes() / 1024.0))
            .toList());
  }
}
