package dev.colony.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A test CA and the certificates it signs, written as PEM files (keys in PKCS#8) the way the
 * README's openssl lines write them: made at test time, valid for a day, for 127.0.0.1 and
 * localhost.
 */
public final class TestCertificates {
  private static final AtomicLong SERIALS = new AtomicLong(System.nanoTime());

  private final Path dir;
  private final String name;
  private final KeyPair keys;
  private final X509Certificate certificate;

  private TestCertificates(Path dir, String name, KeyPair keys, X509Certificate certificate) {
    this.dir = dir;
    this.name = name;
    this.keys = keys;
    this.certificate = certificate;
    write(certificatePem(), pem("CERTIFICATE", encoded(certificate)));
    write(keyPem(), pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
  }

  /** A new CA called {@code name}, its files in {@code dir}. */
  public static TestCertificates newCa(Path dir, String name) {
    KeyPair keys = newKeys();
    X500Name subject = new X500Name("CN=" + name);
    try {
      X509Certificate ca =
          sign(
              builder(subject, subject, keys)
                  .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                  .addExtension(
                      Extension.keyUsage,
                      true,
                      new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)),
              keys.getPrivate());
      return new TestCertificates(dir, name, keys, ca);
    } catch (CertIOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A certificate for 127.0.0.1 and localhost called {@code name}, signed by this CA. */
  public TestCertificates issue(String name) {
    return issue(name, List.of());
  }

  /**
   * A certificate called {@code name} for 127.0.0.1, localhost and the IP addresses {@code
   * addresses} (hosts of a test network), signed by this CA.
   */
  public TestCertificates issue(String name, List<String> addresses) {
    List<GeneralName> names = new ArrayList<>();
    names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
    names.add(new GeneralName(GeneralName.dNSName, "localhost"));
    addresses.forEach(a -> names.add(new GeneralName(GeneralName.iPAddress, a)));
    KeyPair leafKeys = newKeys();
    try {
      X509Certificate leaf =
          sign(
              builder(new X500Name("CN=" + this.name), new X500Name("CN=" + name), leafKeys)
                  .addExtension(
                      Extension.subjectAlternativeName,
                      false,
                      new GeneralNames(names.toArray(GeneralName[]::new))),
              keys.getPrivate());
      return new TestCertificates(dir, name, leafKeys, leaf);
    } catch (CertIOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A client's TLS (for an HTTPS client) that trusts this CA and presents no certificate. */
  public SSLContext trustingThisCa() {
    try {
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      trusted.setCertificateEntry("ca", certificate);
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make a test TLS context", e);
    }
  }

  public Path certificatePem() {
    return dir.resolve(name + ".crt");
  }

  public Path keyPem() {
    return dir.resolve(name + ".key");
  }

  private static JcaX509v3CertificateBuilder builder(
      X500Name issuer, X500Name subject, KeyPair keys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer,
        BigInteger.valueOf(SERIALS.incrementAndGet()),
        Date.from(now.minus(Duration.ofHours(1))),
        Date.from(now.plus(Duration.ofDays(1))),
        subject,
        keys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey) {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot sign a test certificate", e);
    }
  }

  private static KeyPair newKeys() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JVM has EC P-256", e);
    }
  }

  private static byte[] encoded(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static void write(Path file, String content) {
    try {
      Files.writeString(file, content, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
