package io.netsvc.k8s;

import java.util.function.Function;

/**
 * One conversion shared by the handlers of a kind that convert with the same function (the same
 * instance, e.g. {@link Watchers#POD_INFO}). fabric8 hands an event to an informer's handlers one
 * after the other on the informer's one thread, each with the same object instances, so the first
 * handler converts and the others take its records: each object is converted once per event, not
 * once per handler. The last few objects converted are remembered by identity (also an update's old
 * object, which was the new one of an earlier event when that was recent).
 */
final class SharedConversion<T, R> implements Function<T, R> {
  /** How many converted objects are remembered; an event converts at most two. */
  static final int REMEMBERED = 16;

  private final Function<T, R> convert;
  private final Object[] objects = new Object[REMEMBERED];
  private final Object[] records = new Object[REMEMBERED];
  private int next;

  SharedConversion(Function<T, R> convert) {
    this.convert = convert;
  }

  /** The function this shares. */
  Function<T, R> convert() {
    return convert;
  }

  /**
   * The record of {@code obj}, converted now unless this very instance was converted lately. A
   * conversion that throws is not remembered (the next handler tries, and fails, again).
   */
  @Override
  public synchronized R apply(T obj) {
    for (int i = 1; i <= REMEMBERED; i++) { // the newest first
      int slot = Math.floorMod(next - i, REMEMBERED);
      if (objects[slot] == obj) {
        @SuppressWarnings("unchecked") // records[slot] was converted from objects[slot]
        R r = (R) records[slot];
        return r;
      }
    }
    R r = convert.apply(obj);
    objects[next] = obj;
    records[next] = r;
    next = (next + 1) % REMEMBERED;
    return r;
  }
}
