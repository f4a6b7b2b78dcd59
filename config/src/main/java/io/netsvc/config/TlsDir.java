package io.netsvc.config;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * Checks a {@code --tls-dir} before the member starts. Pekko's rotating-keys provider reads these
 * files only when the first connection is made, and then fails every connection with a log line;
 * what it would reject is one clear line at start instead. Its limits in Pekko 1.2.1: the key must
 * be RSA (PKCS#1 or unencrypted PKCS#8 PEM), only the first certificate of ca.crt is read, and it
 * must have signed tls.crt itself (no intermediate CA).
 */
final class TlsDir {
  static final String CERT = "tls.crt";
  static final String KEY = "tls.key";
  static final String CA = "ca.crt";

  // AlgorithmIdentifier of rsaEncryption (1.2.840.113549.1.1.1) with NULL parameters
  private static final byte[] RSA_ALGORITHM = {
    0x30,
    0x0d,
    0x06,
    0x09,
    0x2a,
    (byte) 0x86,
    0x48,
    (byte) 0x86,
    (byte) 0xf7,
    0x0d,
    0x01,
    0x01,
    0x01,
    0x05,
    0x00
  };

  private TlsDir() {}

  /** Throws {@link IllegalArgumentException} with the reason when Pekko could not use the files. */
  static void check(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(
          Files.exists(dir) ? "not a directory" : "no such directory");
    }
    X509Certificate cert = certificate(dir, CERT);
    X509Certificate ca = certificate(dir, CA);
    PrivateKey key = key(dir);
    if (!(cert.getPublicKey() instanceof RSAPublicKey pub)) {
      throw new IllegalArgumentException(
          CERT + " holds a " + cert.getPublicKey().getAlgorithm() + " key; only RSA is supported");
    }
    if (!(key instanceof RSAPrivateKey rsa) || !rsa.getModulus().equals(pub.getModulus())) {
      throw new IllegalArgumentException(KEY + " is not the private key of " + CERT);
    }
    try {
      cert.verify(ca.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          CERT
              + " is not signed by the first certificate in "
              + CA
              + " (the only one read; no intermediate CA)");
    }
    try {
      cert.checkValidity();
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          CERT + " is not valid now (" + cert.getNotBefore() + " to " + cert.getNotAfter() + ")");
    }
  }

  private static byte[] read(Path dir, String name) {
    Path file = dir.resolve(name);
    if (!Files.exists(file)) throw new IllegalArgumentException("no " + name + " in it");
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      String why =
          e instanceof java.nio.file.AccessDeniedException
              ? "permission denied"
              : Errors.rootMessage(e);
      throw new IllegalArgumentException("cannot read " + name + ": " + why);
    }
  }

  private static X509Certificate certificate(Path dir, String name) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(read(dir, name)));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(name + " is not a PEM certificate");
    }
  }

  private static PrivateKey key(Path dir) {
    String pem = new String(read(dir, KEY), StandardCharsets.US_ASCII);
    if (pem.contains("ENCRYPTED")) {
      throw new IllegalArgumentException(KEY + " is encrypted; it must not be");
    }
    if (pem.contains("-----BEGIN EC PRIVATE KEY-----")) {
      throw new IllegalArgumentException(KEY + " is an EC key; only RSA is supported");
    }
    byte[] pkcs8;
    if (pem.contains("-----BEGIN RSA PRIVATE KEY-----")) {
      pkcs8 = pkcs8OfPkcs1(body(pem, "RSA PRIVATE KEY"));
    } else if (pem.contains("-----BEGIN PRIVATE KEY-----")) {
      pkcs8 = body(pem, "PRIVATE KEY");
    } else {
      throw new IllegalArgumentException(KEY + " is not a PEM private key");
    }
    try {
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(KEY + " is not an RSA private key; only RSA is supported");
    }
  }

  private static byte[] body(String pem, String label) {
    int start = pem.indexOf("-----BEGIN " + label + "-----") + label.length() + 16;
    int end = pem.indexOf("-----END " + label + "-----", start);
    if (end < 0) throw new IllegalArgumentException(KEY + " is not a PEM private key");
    try {
      return Base64.getMimeDecoder().decode(pem.substring(start, end));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(KEY + " is not a PEM private key");
    }
  }

  /** PKCS#8 PrivateKeyInfo around a PKCS#1 RSAPrivateKey: version 0, rsaEncryption, the key. */
  private static byte[] pkcs8OfPkcs1(byte[] pkcs1) {
    ByteArrayOutputStream inner = new ByteArrayOutputStream();
    inner.writeBytes(new byte[] {0x02, 0x01, 0x00});
    inner.writeBytes(RSA_ALGORITHM);
    inner.write(0x04);
    inner.writeBytes(length(pkcs1.length));
    inner.writeBytes(pkcs1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x30);
    out.writeBytes(length(inner.size()));
    out.writeBytes(inner.toByteArray());
    return out.toByteArray();
  }

  private static byte[] length(int n) {
    if (n < 0x80) return new byte[] {(byte) n};
    if (n < 0x100) return new byte[] {(byte) 0x81, (byte) n};
    if (n < 0x10000) return new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
    return new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
  }
}
