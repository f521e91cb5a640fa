package io.hoptrace.testsupport.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.Key;
import java.security.KeyStore;
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private CA and a server certificate it signed for {@code 127.0.0.1} and {@code localhost}, made
 * with the JDK's keytool (no other tool needed): what a TLS test needs to check that clients trust a
 * CA given to them, and only that CA.
 *
 * @param caPem the CA's certificate (PEM): what a client is told to trust
 * @param serverKeyStore PKCS12 with the server's key and certificate chain
 * @param password of {@code serverKeyStore} and its key
 */
public record TestCertificates(Path caPem, Path serverKeyStore, String password) {

  /** Creates the CA and the server certificate in {@code dir} (valid for two days). */
  public static TestCertificates create(Path dir) {
    String pass = "hoptrace-test";
    Path ca = dir.resolve("ca.p12");
    Path caPem = dir.resolve("ca.pem");
    Path server = dir.resolve("server.p12");
    Path csr = dir.resolve("server.csr");
    Path serverPem = dir.resolve("server.pem");
    keytool("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-dname", "CN=hoptrace test CA", "-ext", "bc:c", "-keystore", ca, "-storetype", "PKCS12", "-storepass", pass);
    keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca, "-storepass", pass, "-file", caPem);
    keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-dname", "CN=127.0.0.1", "-keystore", server, "-storetype", "PKCS12", "-storepass", pass);
    keytool("-certreq", "-alias", "server", "-keystore", server, "-storepass", pass, "-file", csr);
    keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", ca, "-storepass", pass, "-validity", "2",
        "-ext", "san=ip:127.0.0.1,dns:localhost", "-ext", "eku=serverAuth", "-infile", csr, "-outfile", serverPem);
    // the chain: the CA first (trusted), then the signed certificate replaces the self-signed one
    keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caPem, "-keystore", server, "-storepass", pass);
    keytool("-importcert", "-noprompt", "-alias", "server", "-file", serverPem, "-keystore", server, "-storepass", pass);
    return new TestCertificates(caPem, server, pass);
  }

  private static void keytool(Object... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "keytool").toString());
    for (Object a : args) {
      cmd.add(a.toString());
    }
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("keytool " + args[0] + " failed: " + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not run keytool", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The server's certificate chain and private key as PEM files (what a server configured with PEM
   * paths reads): {@code server-chain.pem} (the certificate, then the CA) and {@code server-key.pem}
   * (PKCS#8), next to the key store.
   */
  public ServerPem serverPem() {
    try {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      try (java.io.InputStream in = Files.newInputStream(serverKeyStore)) {
        keys.load(in, password.toCharArray());
      }
      StringBuilder chain = new StringBuilder();
      for (java.security.cert.Certificate c : keys.getCertificateChain("server")) {
        chain.append(pem("CERTIFICATE", c.getEncoded()));
      }
      Key key = keys.getKey("server", password.toCharArray());
      Path dir = serverKeyStore.getParent();
      Path cert = Files.writeString(dir.resolve("server-chain.pem"), chain);
      Path keyFile = Files.writeString(dir.resolve("server-key.pem"), pem("PRIVATE KEY", key.getEncoded()));
      return new ServerPem(cert, keyFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("cannot read " + serverKeyStore + ": " + e, e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  /** PEM files of the server: its certificate chain and its private key. */
  public record ServerPem(Path certChain, Path privateKey) {}

  /** A TLS context that trusts the test CA only (for JDK clients). */
  public javax.net.ssl.SSLContext clientContext() {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      try (java.io.InputStream in = Files.newInputStream(caPem)) {
        trust.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
      }
      javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The CA certificate's PEM text. */
  public String caPemText() {
    try {
      return Files.readString(caPem);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
