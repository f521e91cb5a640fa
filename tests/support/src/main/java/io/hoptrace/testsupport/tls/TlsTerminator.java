package io.hoptrace.testsupport.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.security.KeyStore;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * A TLS endpoint in front of a plain TCP one on this machine: accepts TLS on a loopback port with
 * the given certificate and relays the decrypted bytes both ways. The embedded ClickHouse cannot
 * listen for HTTPS itself; clients under test meet a real TLS server (handshake, certificate chain,
 * host name) and behind it the real engine.
 */
public final class TlsTerminator implements AutoCloseable {
  private final ServerSocket server;
  private final int targetPort;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "tls-terminator");
    t.setDaemon(true);
    return t;
  });
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();

  private TlsTerminator(ServerSocket server, int targetPort) {
    this.server = server;
    this.targetPort = targetPort;
  }

  /** Listens on a free loopback port for TLS, relaying to {@code 127.0.0.1:targetPort}. */
  public static TlsTerminator start(TestCertificates certificates, int targetPort) {
    try {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(certificates.serverKeyStore())) {
        keys.load(in, certificates.password().toCharArray());
      }
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, certificates.password().toCharArray());
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(kmf.getKeyManagers(), null, null);
      SSLServerSocket server = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket();
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      TlsTerminator t = new TlsTerminator(server, targetPort);
      t.threads.execute(t::acceptLoop);
      return t;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException("could not start the TLS terminator: " + e.getMessage(), e);
    }
  }

  public int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        threads.execute(() -> relay(client));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void relay(Socket client) {
    open.add(client);
    try (client; Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort)) {
      open.add(target);
      threads.execute(() -> pump(target, client));
      pump(client, target); // the handshake happens on the first read here
    } catch (IOException e) {
      // a failed handshake (a client that does not trust us) or a closed peer: nothing to relay
    } finally {
      open.remove(client);
    }
  }

  /** Copies until either side ends, then closes both: HTTP needs no half-closed connections. */
  private void pump(Socket from, Socket to) {
    byte[] buf = new byte[16 * 1024];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // the other direction closed the sockets
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      open.remove(from);
      open.remove(to);
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // closing
    }
    open.forEach(TlsTerminator::closeQuietly);
    threads.shutdownNow();
  }
}
