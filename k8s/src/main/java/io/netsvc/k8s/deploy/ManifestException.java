package io.netsvc.k8s.deploy;

/** A manifest that cannot be turned into objects; the message is one line, fit for an event. */
public final class ManifestException extends Exception {
  private static final long serialVersionUID = 1L;

  public ManifestException(String message) {
    super(message);
  }
}
