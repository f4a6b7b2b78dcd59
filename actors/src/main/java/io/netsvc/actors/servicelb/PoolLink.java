package io.netsvc.actors.servicelb;

/** A ServiceActor's subscription to the PoolActor of its Service's pool: at most one at a time. */
final class PoolLink {
  private final String key;
  private final ServiceLbDeps deps;
  private final ServiceFacts facts;
  private String pool;

  PoolLink(String key, ServiceLbDeps deps, ServiceFacts facts) {
    this.key = key;
    this.deps = deps;
    this.facts = facts;
  }

  /** The pool subscribed to, or null. */
  String pool() {
    return pool;
  }

  /** Subscribes to {@code to} (leaving another pool; its nodes are forgotten until it answers). */
  void subscribe(String to) {
    if (to.equals(pool)) return;
    unsubscribe();
    pool = to;
    facts.candidates = null;
    deps.sharding().entityRefFor(PoolActor.TYPE_KEY, to).tell(new PoolActor.Subscribe(key));
  }

  void unsubscribe() {
    if (pool == null) return;
    deps.sharding().entityRefFor(PoolActor.TYPE_KEY, pool).tell(new PoolActor.Unsubscribe(key));
    pool = null;
  }

  /** Asks the pool for its nodes again (a periodic pass: the PoolActor may have been rebuilt). */
  void resubscribe() {
    if (pool == null) return;
    deps.sharding().entityRefFor(PoolActor.TYPE_KEY, pool).tell(new PoolActor.Resubscribe(key));
  }
}
