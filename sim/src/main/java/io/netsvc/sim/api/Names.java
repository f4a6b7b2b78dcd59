package io.netsvc.sim.api;

import java.security.SecureRandom;

/** Names the API server makes up. */
final class Names {
  // k8s's utilrand alphabet: no vowels (no accidental words), no look-alikes.
  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private Names() {}

  /** The 5-character suffix k8s appends to {@code metadata.generateName}. */
  static String randomSuffix() {
    StringBuilder sb = new StringBuilder(5);
    for (int i = 0; i < 5; i++) sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    return sb.toString();
  }
}
