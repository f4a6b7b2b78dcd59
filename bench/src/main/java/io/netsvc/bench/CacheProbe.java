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

  /** The kinds' samples, the noise (bytes the heap moved with nothing dropped), the last heap. */
  record Result(List<CacheTable.Sample> samples, long noise, long heapBytes) {}

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
    for (WatchKind<?> kind : WatchKind.ALL) {
      progress.phase("caches: dropping the " + kind + " informer, then its records", -1);
      long objects = 0;
      for (NetsvcMember m : members) {
        Informers informers = m.informers();
        if (informers != null) objects += informers.drop(kind);
      }
      HeapHistogram dropped = HeapProbe.histogram();
      long informerBytes = before.bytes() - dropped.bytes();
      before = null;
      long records = 0;
      for (NetsvcMember m : members) records += m.forgetRecords(kind);
      HeapHistogram forgotten = HeapProbe.histogram();
      long recordBytes = dropped.bytes() - forgotten.bytes();
      dropped = null;
      samples.add(new CacheTable.Sample(kind.toString(), objects, informerBytes, records, recordBytes));
      before = forgotten;
    }
    progress.endPhase();
    return new Result(samples, noise, before.bytes());
  }
}
