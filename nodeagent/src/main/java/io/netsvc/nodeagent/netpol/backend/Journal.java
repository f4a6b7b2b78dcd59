package io.netsvc.nodeagent.netpol.backend;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The undo steps of one restore in progress: the in-memory kernel applies a text to its live state
 * and, when a line is rejected, runs these in reverse to put everything back. So a restore costs
 * what its text touches, not a copy of the whole state, and a rejected text still changes nothing.
 */
final class Journal {
  private final Deque<Runnable> undo = new ArrayDeque<>();

  /** Remembers how to reverse a change just made. */
  void record(Runnable step) {
    undo.push(step);
  }

  /** Keeps the changes made since the last commit or rollback. */
  void commit() {
    undo.clear();
  }

  /** Reverses the changes made since the last commit or rollback, newest first. */
  void rollback() {
    while (!undo.isEmpty()) {
      undo.pop().run();
    }
  }
}
