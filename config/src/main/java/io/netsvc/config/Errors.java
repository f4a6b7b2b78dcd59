package io.netsvc.config;

/** What a failure says in one line, for logs, events and replies. */
public final class Errors {
  private Errors() {}

  /**
   * The message of the innermost cause: wrappers such as {@code CompletionException} or a client's
   * own exception only repeat it. An exception without a message is named by its class instead.
   */
  public static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    return root.getMessage() == null ? root.toString() : root.getMessage();
  }
}
