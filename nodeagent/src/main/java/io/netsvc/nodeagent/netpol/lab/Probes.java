package io.netsvc.nodeagent.netpol.lab;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/** Client side of a probe; runs on a pod's namespace thread so its socket lives in the pod. */
final class Probes {
  private Probes() {}

  /** A completed TCP handshake within {@code timeout}; refused, rejected or silent is false. */
  static boolean tcp(InetAddress to, int port, Duration timeout) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(to, port), (int) timeout.toMillis());
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A datagram with a random payload comes back unchanged within {@code timeout}. */
  static boolean udp(InetAddress to, int port, Duration timeout) {
    byte[] payload = new byte[16];
    ThreadLocalRandom.current().nextBytes(payload);
    // connected, so an ICMP port-unreachable ends the wait at once instead of timing out
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.connect(new InetSocketAddress(to, port));
      socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
      socket.send(new DatagramPacket(payload, payload.length));
      byte[] buffer = new byte[64];
      DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
      socket.receive(reply);
      return Arrays.equals(payload, Arrays.copyOf(buffer, reply.getLength()));
    } catch (IOException e) {
      return false;
    }
  }
}
